using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Ir;

/// <summary>
/// One operation of a block. Nodes of a block form a DAG in program order; a node reads nodes of its
/// own block only (values that cross blocks travel in variables).
/// </summary>
public sealed class IrNode(IrOp op, KernelValueType type, params IrNode[] inputs)
{
    /// <summary>Number, unique in the function (for names and dumps).</summary>
    public int Id { get; set; }

    /// <summary>What it computes.</summary>
    public IrOp Op { get; set; } = op;

    /// <summary>The C# type of the result (for comparisons: bool; for a store: its element type).</summary>
    public KernelValueType Type { get; set; } = type;

    /// <summary>Operands.</summary>
    public IrNode[] Inputs { get; set; } = inputs;

    /// <summary>The value of a <see cref="IrOp.Const"/>, as a canonical 64-bit pattern of <see cref="Type"/>.</summary>
    public long Constant { get; set; }

    /// <summary>The variable a <see cref="IrOp.ReadVar"/> reads.</summary>
    public IrVariable? Variable { get; set; }

    /// <summary>The memory a load or store touches.</summary>
    public IrMemory? Memory { get; set; }

    /// <summary>Where in the C# it came from, <c>File.cs:line</c>, with the source text.</summary>
    public string Origin { get; set; } = string.Empty;

    /// <summary>Bits in hardware (the C# type's until width narrowing).</summary>
    public Storage Storage { get; set; } = new(type.Bits, type.Signed);

    /// <summary>
    /// True for a load that a pass made run ahead of the code that needs it (<see cref="Passes.LoadPrefetch"/>):
    /// its address may then be past the memory's end, and such a read gives 0 (hardware: any value, unused).
    /// For any other node: computed for a way control may not take (<see cref="Passes.BranchThreading"/>),
    /// so on the other ways its value may not fit its storage, and is not used.
    /// </summary>
    public bool Speculative { get; set; }

    /// <summary>True for operations with an effect or a port (kept in program order, never removed as dead).</summary>
    public bool IsMemoryAccess => Op is IrOp.Load or IrOp.Store;

    /// <summary>
    /// The bool node that predicates a load or store (its last input), or null when the access is
    /// unconditional. A store whose guard is false writes nothing; a load whose guard is false reads
    /// nothing and gives 0. If-conversion makes them from the arms of a branch.
    /// </summary>
    public IrNode? Guard => Op switch
    {
        IrOp.Load when Inputs.Length == 2 => Inputs[1],
        IrOp.Store when Inputs.Length == 3 => Inputs[2],
        _ => null,
    };

    /// <summary>Sets (or with null removes) the guard of a load or store.</summary>
    public void SetGuard(IrNode? guard)
    {
        int operands = Op == IrOp.Load ? 1 : 2;
        Inputs = guard is null ? Inputs[..operands] : [.. Inputs[..operands], guard];
    }

    private string GuardText => Guard is { } guard ? $" if n{guard.Id}" : string.Empty;

    /// <inheritdoc/>
    public override string ToString() => Op switch
    {
        IrOp.Const => $"n{Id} = {Type.ToText(Constant)}:{Type.CSharpName}",
        IrOp.ReadVar => $"n{Id} = {Variable}",
        IrOp.Load => $"n{Id} = {Memory}[n{Inputs[0].Id}]{GuardText}{(Speculative ? " ahead" : string.Empty)}",
        IrOp.Store => $"{Memory}[n{Inputs[0].Id}] = n{Inputs[1].Id}{GuardText}",
        _ => $"n{Id} = {Op.ToString().ToLowerInvariant()}:{Type.CSharpName} {string.Join(", ", Inputs.Select(i => $"n{i.Id}"))}",
    };
}
