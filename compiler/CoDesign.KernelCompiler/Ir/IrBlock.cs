namespace CoDesign.KernelCompiler.Ir;

/// <summary>
/// A basic block: nodes in program order, the variables it assigns (all at its end, from values
/// computed with the variables as they were when it started), and how it ends.
/// </summary>
public sealed class IrBlock(int id)
{
    /// <summary>Number, unique in the function.</summary>
    public int Id { get; set; } = id;

    /// <summary>Operations in program order.</summary>
    public List<IrNode> Nodes { get; } = [];

    /// <summary>Variables written at the block's end and their new values (nodes of this block).</summary>
    public Dictionary<IrVariable, IrNode> Assignments { get; } = [];

    /// <summary>How the block ends.</summary>
    public IrTerminatorKind Terminator { get; set; } = IrTerminatorKind.Return;

    /// <summary>A bool node of this block, for <see cref="IrTerminatorKind.Branch"/>.</summary>
    public IrNode? Condition { get; set; }

    /// <summary>Successor (the true one of a branch).</summary>
    public IrBlock? Target { get; set; }

    /// <summary>The false successor of a branch.</summary>
    public IrBlock? Else { get; set; }

    /// <summary>
    /// True for a decision that <see cref="Passes.BranchThreading"/> moved into the block before it:
    /// it only branches on a variable that block sets, so the state machine decides where to go in
    /// that block's last cycle and this one takes no cycle (no state) of its own.
    /// </summary>
    public bool Threaded { get; set; }

    /// <summary>First C# line of the block, for names and comments.</summary>
    public string Origin { get; set; } = string.Empty;

    /// <summary>The blocks control can go to next.</summary>
    public IEnumerable<IrBlock> Successors
    {
        get
        {
            if (Target is not null && Terminator != IrTerminatorKind.Return)
            {
                yield return Target;
            }

            if (Else is not null && Terminator == IrTerminatorKind.Branch)
            {
                yield return Else;
            }
        }
    }
}
