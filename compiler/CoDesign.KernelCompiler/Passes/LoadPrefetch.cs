using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Reads a loop's load one iteration ahead. A load <c>m[a]</c> of a loop of one block becomes a
/// variable <c>p</c> that holds <c>m[a]</c> when each iteration starts: the iteration before reads
/// <c>m[a']</c>, <c>a</c> computed on the values it leaves in the variables, and the block in front
/// of the loop reads it for the first iteration. A memory the kernel never writes gives the same
/// value then as later. The read runs whether or not the iteration needs it, so its address may be
/// past the end (<see cref="IrNode.Speculative"/>). What it is for: a flattened CCS nest decides in
/// each step whether the next one enters a column from the activation and column end the step
/// reads; read ahead, they come from registers (the memory's read data, which in a loop pipelined
/// at II=1 is the register, see <see cref="Scheduling.ModuloScheduler"/>), so the loop keeps II=1.
/// </summary>
internal static class LoadPrefetch
{
    /// <summary>True when <paramref name="load"/> can be read ahead: its memory is never written and its address needs no load.</summary>
    public static bool Applies(IrFunction function, IrNode load) =>
        load.Op == IrOp.Load
        && !function.StoredMemories().Contains(load.Memory!)
        && !BlockSurgery.Operands(load.Inputs[0]).Any(n => n.IsMemoryAccess);

    /// <summary>
    /// Replaces <paramref name="load"/> of <paramref name="loop"/> by a read of a new variable, which
    /// the loop reads ahead; returns it. <see cref="Fill"/> must then give it its first value in the
    /// block in front of the loop. The load's guard goes: the caller must use its value only where
    /// the guard holds (in a flat loop, the head's values count only in the steps that run the head).
    /// </summary>
    public static (IrVariable Variable, IrNode Address) Prefetch(IrFunction function, IrBlock loop, IrNode load)
    {
        IrMemory memory = load.Memory!;
        var variable = new IrVariable(function.UniqueVariableName($"{memory.Name}_ahead"), load.Type, IrVariableKind.Local)
        {
            Storage = load.Storage,
            PrefetchOf = memory,
        };
        function.Variables.Add(variable);
        IrNode address = load.Inputs[0];
        var read = new IrNode(IrOp.ReadVar, load.Type) { Variable = variable, Storage = load.Storage, Origin = load.Origin };
        loop.Nodes.Insert(0, read);
        loop.Nodes.Remove(load);
        NodeRewriter.Replace(loop, new Dictionary<IrNode, IrNode> { [load] = read });
        IrNode next = BlockSurgery.CopyExpression(loop, address, v => BlockSurgery.ValueAtEnd(loop, v));
        var ahead = new IrNode(IrOp.Load, load.Type, next) { Memory = memory, Storage = load.Storage, Origin = load.Origin, Speculative = true };
        loop.Nodes.Add(ahead);
        loop.Assignments[variable] = ahead;
        return (variable, address);
    }

    /// <summary>Reads <paramref name="variable"/>'s first value at the end of <paramref name="preheader"/>, the block in front of the loop.</summary>
    public static void Fill(IrBlock preheader, IrVariable variable, IrNode address)
    {
        var ends = new Dictionary<IrVariable, IrNode>();
        IrNode at = BlockSurgery.CopyExpression(preheader, address, v => ends.TryGetValue(v, out IrNode? known) ? known : ends[v] = BlockSurgery.ValueAtEnd(preheader, v));
        var first = new IrNode(IrOp.Load, variable.Type, at) { Memory = variable.PrefetchOf, Storage = variable.Storage, Origin = address.Origin, Speculative = true };
        preheader.Nodes.Add(first);
        preheader.Assignments[variable] = first;
    }
}
