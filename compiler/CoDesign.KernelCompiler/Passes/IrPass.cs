using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>A transformation of IR that keeps its meaning (tests check each against the interpreter).</summary>
public interface IIrPass
{
    /// <summary>Name for dumps and test failures.</summary>
    string Name { get; }

    /// <summary>Rewrites <paramref name="function"/> in place; returns true when it changed anything.</summary>
    bool Run(IrFunction function);
}
