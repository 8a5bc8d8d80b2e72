using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Ir;

/// <summary>
/// An array the kernel reads or writes: a span parameter (a memory port of the module, outside it)
/// or a <c>stackalloc</c> (a memory inside it, <see cref="Size"/> elements).
/// </summary>
public sealed class IrMemory(string name, KernelValueType elementType, bool isPort, bool writable, int size)
{
    /// <summary>Name for the Verilog.</summary>
    public string Name { get; internal set; } = name;

    /// <summary>The element's C# type.</summary>
    public KernelValueType ElementType { get; } = elementType;

    /// <summary>True for a span parameter (a port), false for a stackalloc (inside the module).</summary>
    public bool IsPort { get; } = isPort;

    /// <summary>True when the kernel may write it.</summary>
    public bool Writable { get; } = writable;

    /// <summary>Elements of a stackalloc; 0 for a port (its length is an input).</summary>
    public int Size { get; } = size;

    /// <summary>Element storage (narrowed for internal memories).</summary>
    public Storage ElementStorage { get; set; } = new(elementType.Bits, elementType.Signed);

    /// <summary>The parameter's length variable, for a port.</summary>
    public IrVariable? Length { get; set; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
