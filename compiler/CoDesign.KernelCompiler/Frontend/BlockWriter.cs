using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Frontend;

/// <summary>
/// Appends nodes to one block while lowering. Within the block a variable's latest value is a node,
/// so reads after writes chain without registers; the block's assignments are the last values.
/// Every node it adds is recorded in the lowering's node-to-block map.
/// </summary>
internal sealed class BlockWriter(IrBlock block, Dictionary<IrNode, IrBlock> blockOf)
{
    private readonly Dictionary<IrVariable, IrNode> latest = [];
    private readonly HashSet<IrVariable> written = [];
    private readonly HashSet<IrNode> nodes = [];

    public IrBlock Block { get; } = block;

    public bool Closed { get; private set; }

    public IrNode Add(IrNode node)
    {
        Block.Nodes.Add(node);
        nodes.Add(node);
        blockOf[node] = Block;
        return node;
    }

    public IrNode Constant(KernelValueType type, long value, string origin) =>
        Add(new IrNode(IrOp.Const, type) { Constant = type.Normalize(value), Origin = origin });

    public IrNode Read(IrVariable variable)
    {
        if (!latest.TryGetValue(variable, out IrNode? node))
        {
            node = Add(new IrNode(IrOp.ReadVar, variable.Type) { Variable = variable, Origin = variable.Name });
            latest[variable] = node;
        }

        return node;
    }

    public void Write(IrVariable variable, IrNode value)
    {
        latest[variable] = value;
        written.Add(variable);
    }

    /// <summary>Ends the block: its assignments are the variables' latest values.</summary>
    public void Close()
    {
        foreach (IrVariable v in written)
        {
            Block.Assignments[v] = latest[v];
        }

        Closed = true;
    }

    public bool Owns(IrNode node) => nodes.Contains(node);
}
