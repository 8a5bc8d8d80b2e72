using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Takes the add off a one-block loop's test: in <c>for (e = begin; e &lt; end; e++)</c> the test
/// is <c>e + 1 &lt; end</c>, an add chained into a compare, which at 32 bits does not fit one cycle
/// of 30 MHz and would hold a pipelined loop at II=2. A second register <c>e_next</c>, always
/// <c>e + 1</c>, is set where the loop is entered and stepped in the loop beside <c>e</c>, so the
/// test compares a register and the add runs in parallel.
/// </summary>
public sealed class InductionLookahead : IIrPass
{
    /// <inheritdoc/>
    public string Name => "induction lookahead";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        bool changed = false;
        foreach (IrBlock loop in function.Blocks.Where(b => b != function.Entry && b.Terminator == IrTerminatorKind.Branch && (b.Target == b || b.Else == b)).ToList())
        {
            if (Step(loop) is not (IrVariable variable, IrNode step, IrNode amount))
            {
                continue;
            }

            IrVariable next = function.AddLocal(variable.Name + "_next", variable.Type, variable.Storage);
            foreach (IrBlock entry in function.Blocks.Where(b => b != loop && b.Successors.Contains(loop)))
            {
                SetAhead(entry, BlockSurgery.ValueAtEnd(entry, variable), step, amount, next);
            }

            StepAhead(loop, variable, step, amount, next);
            changed = true;
        }

        return changed;
    }

    /// <summary>
    /// Makes <paramref name="block"/> step <paramref name="variable"/> through its lookahead
    /// <paramref name="next"/> (always <paramref name="variable"/> + amount): the block's uses of
    /// <paramref name="step"/> read <paramref name="next"/>, the variable takes it, and it takes itself + amount.
    /// </summary>
    internal static void StepAhead(IrBlock block, IrVariable variable, IrNode step, IrNode amount, IrVariable next)
    {
        IrNode current = new(IrOp.ReadVar, variable.Type) { Variable = next, Storage = next.Storage, Origin = step.Origin };
        block.Nodes.Insert(0, current);
        foreach (IrNode node in block.Nodes)
        {
            node.Inputs = [.. node.Inputs.Select(i => i == step ? current : i)];
        }

        IrNode stepConstant = Copy(amount);
        IrNode stepped = new(IrOp.Add, step.Type, current, stepConstant) { Storage = step.Storage, Origin = step.Origin };
        block.Nodes.Add(stepConstant);
        block.Nodes.Add(stepped);
        block.Assignments[variable] = current;
        block.Assignments[next] = stepped;
    }

    /// <summary>Sets <paramref name="next"/> to <paramref name="value"/> + amount at the end of <paramref name="block"/>, which sets the variable to <paramref name="value"/> or leaves it so.</summary>
    internal static void SetAhead(IrBlock block, IrNode value, IrNode step, IrNode amount, IrVariable next)
    {
        IrNode constant = Copy(amount);
        IrNode add = new(IrOp.Add, step.Type, value, constant) { Storage = step.Storage, Origin = step.Origin };
        block.Nodes.Add(constant);
        block.Nodes.Add(add);
        block.Assignments[next] = add;
    }

    /// <summary>The loop's induction variable when its test compares <c>v + constant</c> and the loop assigns that sum to v.</summary>
    internal static (IrVariable Variable, IrNode Step, IrNode Amount)? Step(IrBlock loop)
    {
        if (loop.Condition is not { Op: IrOp.Lt or IrOp.Le or IrOp.Gt or IrOp.Ge or IrOp.Eq or IrOp.Ne } test)
        {
            return null;
        }

        foreach (IrNode step in test.Inputs.Where(i => i.Op == IrOp.Add))
        {
            IrNode? read = step.Inputs.FirstOrDefault(i => i.Op == IrOp.ReadVar);
            IrNode? amount = step.Inputs.FirstOrDefault(i => i.Op == IrOp.Const);
            if (read is not null && amount is not null && read.Type == step.Type && loop.Assignments.TryGetValue(read.Variable!, out IrNode? assigned) && assigned == step)
            {
                return (read.Variable!, step, amount);
            }
        }

        return null;
    }

    private static IrNode Copy(IrNode constant) =>
        new(IrOp.Const, constant.Type) { Constant = constant.Constant, Storage = constant.Storage, Origin = constant.Origin };

}
