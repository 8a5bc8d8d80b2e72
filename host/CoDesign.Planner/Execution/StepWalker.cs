using CoDesign.Planner.Decision;

namespace CoDesign.Planner.Execution;

/// <summary>What carrying out one step does to one block.</summary>
public enum StepActionKind
{
    /// <summary>Unload it: the plan does not keep it through this step.</summary>
    Free,

    /// <summary>Deploy it and keep it (resident from this step on).</summary>
    Load,

    /// <summary>Run it; it is resident already.</summary>
    Run,

    /// <summary>Deploy it, run it and unload it (streamed in for this step).</summary>
    Stream,
}

/// <summary>One thing carrying out a step does, to block <see cref="Block"/> (an index into the plan's blocks).</summary>
public readonly record struct StepAction(StepActionKind Kind, int Block);

/// <summary>
/// Follows a plan's step sequence as requests arrive, and says what each request does to device memory.
/// A request for a model is carried out as the model's next step in the sequence after the last one
/// carried out (steps of other models in between are skipped, not run): first every block the device
/// holds that the plan does not keep through that step is freed, then the model's blocks run in order,
/// each resident one loaded if the device does not hold it yet, each streamed one sent, run and freed.
/// Blocks are loaded only at their own model's steps, so the device always holds a subset of what the plan
/// keeps at the step, and never more memory than the plan's peak; when requests follow the sequence, the
/// bytes sent are the plan's. A model with no step (the mix never requests it) runs every block streamed,
/// with everything else freed first.
/// </summary>
public sealed class StepWalker
{
    private readonly HashSet<int> _held;

    /// <summary>Starts walking <paramref name="plan"/> with <paramref name="held"/> (blocks the device holds already) in memory.</summary>
    public StepWalker(MemoryPlan plan, IEnumerable<int>? held = null)
    {
        Plan = plan;
        _held = [.. held ?? []];
    }

    /// <summary>The plan followed.</summary>
    public MemoryPlan Plan { get; }

    /// <summary>The step carried out last (-1 before the first).</summary>
    public int Cursor { get; private set; } = -1;

    /// <summary>The blocks the device holds between requests.</summary>
    public IReadOnlyCollection<int> Held => _held;

    /// <summary>The actions of one request for model <paramref name="model"/> (an index into the plan's models), in order; the walker then counts them done.</summary>
    public IReadOnlyList<StepAction> Next(int model)
    {
        PlanningProblem problem = Plan.Problem;
        IReadOnlyList<int> steps = problem.Steps.StepsOf(model);
        int step = -1;
        if (steps.Count > 0)
        {
            step = steps.FirstOrDefault(t => t > Cursor, steps[0]);
            Cursor = step;
        }

        var actions = new List<StepAction>();
        foreach (int i in _held.Order().ToList())
        {
            if (step < 0 || Plan.StateAt(step, i) != BlockDecision.Resident)
            {
                actions.Add(new StepAction(StepActionKind.Free, i));
                _held.Remove(i);
            }
        }

        foreach (int i in problem.BlocksOf(model))
        {
            if (step >= 0 && Plan.StateAt(step, i) == BlockDecision.Resident)
            {
                if (_held.Add(i))
                {
                    actions.Add(new StepAction(StepActionKind.Load, i));
                }

                actions.Add(new StepAction(StepActionKind.Run, i));
            }
            else
            {
                actions.Add(new StepAction(StepActionKind.Stream, i));
            }
        }

        return actions;
    }

    /// <summary>
    /// Weight bytes the plan sends over <paramref name="trace"/> (requests by model index) when carried out
    /// this way from an empty device, first loads included, and the most memory any moment needed.
    /// </summary>
    public static (long WeightBytes, int PeakBytes) Replay(MemoryPlan plan, IReadOnlyList<int> trace)
    {
        PlanningProblem problem = plan.Problem;
        var walker = new StepWalker(plan);
        long bytes = 0;
        int used = 0, peak = 0;
        foreach (int m in trace)
        {
            foreach (StepAction action in walker.Next(m))
            {
                int footprint = problem.Footprint(action.Block);
                switch (action.Kind)
                {
                    case StepActionKind.Free:
                        used -= footprint;
                        break;
                    case StepActionKind.Load:
                        used += footprint;
                        bytes += problem.Blocks[action.Block].Bytes;
                        break;
                    case StepActionKind.Stream:
                        peak = Math.Max(peak, used + footprint);
                        bytes += problem.Blocks[action.Block].Bytes;
                        break;
                }

                peak = Math.Max(peak, used);
            }
        }

        return (bytes, peak);
    }
}
