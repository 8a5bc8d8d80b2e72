namespace CoDesign.KernelCompiler.Ir;

/// <summary>How a block ends.</summary>
public enum IrTerminatorKind
{
    /// <summary>Go to <see cref="IrBlock.Target"/>.</summary>
    Jump,

    /// <summary>Go to <see cref="IrBlock.Target"/> when <see cref="IrBlock.Condition"/> is true, else to <see cref="IrBlock.Else"/>.</summary>
    Branch,

    /// <summary>The kernel is done.</summary>
    Return,
}
