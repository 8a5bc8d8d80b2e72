using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Copies a small block that only computes and branches (a loop's test) into the end of each block
/// that jumps to it, so a loop's body decides in its own last cycle whether to go round again:
/// one state per iteration instead of two. Blocks with memory accesses are not copied.
/// </summary>
public sealed class TailDuplication : IIrPass
{
    private const int MaxNodes = 24;

    /// <inheritdoc/>
    public string Name => "tail duplication";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        bool changed = false;
        foreach (IrBlock block in function.Blocks.ToList())
        {
            if (block.Terminator == IrTerminatorKind.Jump && block.Target is { } test && test != block
                && test.Terminator == IrTerminatorKind.Branch && test.Nodes.Count <= MaxNodes && !test.Nodes.Any(n => n.IsMemoryAccess))
            {
                IrBlock copy = BlockSurgery.Clone(test, function);
                BlockSurgery.Append(block, copy);
                function.Blocks.Remove(copy);
                changed = true;
            }
        }

        return changed;
    }
}
