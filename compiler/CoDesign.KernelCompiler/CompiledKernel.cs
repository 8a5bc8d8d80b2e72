using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Scheduling;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler;

/// <summary>A kernel compiled to Verilog: its IR, schedule and module text.</summary>
public sealed class CompiledKernel(IrFunction ir, Dictionary<IrBlock, BlockSchedule> schedules, string verilog, CompileOptions options)
{
    /// <summary>The optimized IR the Verilog was written from.</summary>
    public IrFunction Ir { get; } = ir;

    /// <summary>The schedule of each block.</summary>
    public IReadOnlyDictionary<IrBlock, BlockSchedule> Schedules { get; } = schedules;

    /// <summary>The Verilog-2005 module.</summary>
    public string Verilog { get; } = verilog;

    /// <summary>The options it was compiled with.</summary>
    public CompileOptions Options { get; } = options;

    /// <summary>The kernel's interface.</summary>
    public KernelSignature Signature => Ir.Signature;

    /// <summary>The module's name.</summary>
    public string ModuleName => CoDesign.KernelCompiler.Verilog.VerilogNames.Module(Ir.Signature.Name);

    /// <summary>States of the module's state machine (idle included).</summary>
    public int States => 1 + Schedules.Values.Sum(s => s.Steps);

    /// <summary>
    /// An interpreter of the IR that also counts the cycles the module takes (start to done) from the
    /// schedule: the prediction the simulation must meet.
    /// </summary>
    public IrInterpreter Predictor() => new(Ir, block => Schedules[block].Steps);
}
