using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Ir;

/// <summary>What a variable is to the kernel's interface.</summary>
public enum IrVariableKind
{
    /// <summary>A local or a temporary: a register inside the module.</summary>
    Local,

    /// <summary>A scalar parameter: latched from its port at start, then a local.</summary>
    Parameter,

    /// <summary>A span parameter's length: an input port.</summary>
    SpanLength,

    /// <summary>An out parameter: a register driving an output port.</summary>
    Out,

    /// <summary>The return value: a register driving the <c>result</c> port.</summary>
    Return,
}

/// <summary>A mutable value that lives across blocks: a register of the generated module.</summary>
public sealed class IrVariable(string name, KernelValueType type, IrVariableKind kind)
{
    /// <summary>Name for the Verilog (unique in the function).</summary>
    public string Name { get; internal set; } = name;

    /// <summary>The C# type.</summary>
    public KernelValueType Type { get; } = type;

    /// <summary>Role in the interface.</summary>
    public IrVariableKind Kind { get; } = kind;

    /// <summary>Bits in hardware (the C# type's until width narrowing shrinks it).</summary>
    public Storage Storage { get; set; } = new(type.Bits, type.Signed);

    /// <summary>The span parameter whose length this is, for <see cref="IrVariableKind.SpanLength"/>.</summary>
    public IrMemory? LengthOf { get; init; }

    /// <summary>
    /// For a variable that <see cref="Passes.LoadPrefetch"/> made: the memory it is read from one
    /// iteration ahead. In a loop pipelined at II=1 the memory's read data is its register.
    /// </summary>
    public IrMemory? PrefetchOf { get; init; }

    /// <summary>
    /// Every value the variable can hold, when a pass proved it before a change that hides it from
    /// the range analysis: loop flattening keeps the nest's ranges, which the flat loop's selects
    /// would lose. Width narrowing never gives the variable more than this.
    /// </summary>
    internal Passes.Interval? Bounds { get; set; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
