using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Planner.Decision;
using CoDesign.Planner.Profile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;

namespace CoDesign.Planner.Execution;

/// <summary>
/// The execution module: carries a <see cref="MemoryPlan"/> out on a device session, step by step as
/// <see cref="StepWalker"/> says. Before a step the blocks the plan does not keep through it are unloaded;
/// a resident block is deployed at its model's step when the device does not hold it yet and kept; a
/// streamed block is deployed (DMA writes, each chunk's host copy freed on its acknowledgement) just before
/// it runs and unloaded once it has. A batch runs block after block, each as one Run over the whole batch:
/// the inputs' partial sums stay in the device's accumulators from block to block of a layer, and hidden
/// activations stay in its scratch from layer to layer, except a layer cut into row blocks, whose outputs
/// come to the host and go out again in the next layer's Runs. The plan can be replaced while it runs
/// (<see cref="Replan"/>), keeping on the device what the new plan keeps too.
/// </summary>
public sealed class PlannedDeployment : IDisposable
{
    private readonly DeviceSession _session;

    // Blocks on the device, by model and block index in the model: they outlive a plan when the next one keeps them.
    private readonly Dictionary<(ModelProfile Model, int Block), DeployedModel> _held = [];
    private StepWalker _walker;

    private PlannedDeployment(DeviceSession session, MemoryPlan plan)
    {
        _session = session;
        _walker = new StepWalker(plan);
    }

    /// <summary>The plan carried out.</summary>
    public MemoryPlan Plan => _walker.Plan;

    /// <summary>Weight bytes of streamed blocks sent so far.</summary>
    public long StreamedBytes { get; private set; }

    /// <summary>Blocks streamed in so far.</summary>
    public long StreamedBlocks { get; private set; }

    /// <summary>Weight bytes of blocks loaded to stay resident so far.</summary>
    public long LoadedBytes { get; private set; }

    /// <summary>Blocks loaded to stay resident so far.</summary>
    public long LoadedBlocks { get; private set; }

    /// <summary>Resident blocks unloaded because the plan no longer keeps them.</summary>
    public long Evictions { get; private set; }

    /// <summary>Times the device's free memory was in too many pieces for a block, and the held blocks were deployed again packed.</summary>
    public long Compactions { get; private set; }

    /// <summary>Weight bytes of held blocks sent again to pack them (the plan's count leaves them out).</summary>
    public long CompactedBytes { get; private set; }

    /// <summary>The most device memory the plan's blocks held at any moment.</summary>
    public int PeakBytes { get; private set; }

    /// <summary>Blocks on the device now.</summary>
    public int HeldBlocks => _held.Count;

    /// <summary>Device memory the plan's blocks hold now.</summary>
    public int HeldBytes => _held.Values.Sum(h => _session.Memory.AlignedSize(h.ImageBytes));

    /// <summary>
    /// Starts carrying out <paramref name="plan"/> (blocks are deployed as their steps come). Throws
    /// <see cref="NotSupportedException"/> when the device's engine cannot keep partial sums across column
    /// blocks (its Hello does not advertise <see cref="EngineFeatures.ColumnBlocks"/>, as today's RTL does
    /// not), rather than let it compute something else.
    /// </summary>
    public static PlannedDeployment Deploy(DeviceSession session, MemoryPlan plan)
    {
        if ((session.Profile.Features & EngineFeatures.ColumnBlocks) == 0)
        {
            throw new NotSupportedException(
                $"device '{session.Profile.Name}' runs whole models only: it does not keep partial sums across column blocks " +
                "(its Hello reply does not advertise the column-block feature), so it cannot carry out a memory plan");
        }

        return new PlannedDeployment(session, plan);
    }

    /// <summary>
    /// Carries out <paramref name="plan"/> from now on: blocks the device holds that the new plan keeps at
    /// some step (same model profile, same block) stay, the others are unloaded. Returns how many were unloaded.
    /// </summary>
    public int Replan(MemoryPlan plan)
    {
        PlanningProblem problem = plan.Problem;
        var kept = new List<int>();
        int unloaded = 0;
        foreach (((ModelProfile model, int block), DeployedModel handle) in _held.ToList())
        {
            int m = IndexOf(problem, model);
            int index = m < 0 ? -1 : problem.BlocksOf(m)[block];
            if (index >= 0 && plan.KindOf(index) is ResidencyKind.Always or ResidencyKind.SomeSteps)
            {
                kept.Add(index);
                continue;
            }

            _session.Unload(handle);
            _held.Remove((model, block));
            unloaded++;
        }

        _walker = new StepWalker(plan, kept);
        return unloaded;
    }

    /// <summary>
    /// Runs <paramref name="count"/> inputs of <paramref name="model"/> (back to back in
    /// <paramref name="inputs"/>) in batches of the plan's batch size, one step of the plan each, and returns
    /// the outputs with their costs, link bytes of the blocks sent and unloaded included.
    /// </summary>
    public InferenceResult Infer(ModelProfile model, ReadOnlySpan<byte> inputs, int count)
    {
        int m = IndexOf(Plan.Problem, model);
        if (m < 0)
        {
            throw new ArgumentException($"model '{model.Name}' is not part of this plan", nameof(model));
        }

        int inputSize = model.Model.InputSize;
        if (inputs.Length != (long)count * inputSize)
        {
            throw new ArgumentException($"{inputs.Length} input bytes do not make {count} inputs of {inputSize} for model '{model.Name}'", nameof(inputs));
        }

        var parts = new List<InferenceResult>();
        for (int start = 0; start < count; start += Plan.Problem.Batch)
        {
            int n = Math.Min(Plan.Problem.Batch, count - start);
            parts.Add(RunStep(model, m, inputs.Slice(start * inputSize, n * inputSize), n));
        }

        return InferenceResult.Concat(parts);
    }

    /// <summary>Unloads every block the plan holds on the device.</summary>
    public void Dispose()
    {
        foreach (DeployedModel handle in _held.Values)
        {
            if (_session.Models.Contains(handle))
            {
                _session.Unload(handle);
            }
        }

        _held.Clear();
    }

    private static int IndexOf(PlanningProblem problem, ModelProfile model)
    {
        for (int m = 0; m < problem.Models.Count; m++)
        {
            if (ReferenceEquals(problem.Models[m], model))
            {
                return m;
            }
        }

        return -1;
    }

    private InferenceResult RunStep(ModelProfile model, int m, ReadOnlySpan<byte> inputs, int n)
    {
        PlanningProblem problem = Plan.Problem;
        long cycles = 0, entries = 0, steps = 0, broadcasts = 0;
        long before = _session.Link.BytesSent + _session.Link.BytesReceived;

        // Inputs of the layers that take theirs from the Run: the model's, and the outputs of a layer cut into row blocks.
        var layerInputs = new byte[model.Model.Layers.Count][];
        layerInputs[0] = inputs.ToArray();
        int[] outputs = new int[n * model.Model.OutputSize];
        foreach (StepAction action in _walker.Next(m))
        {
            int index = action.Block;
            var key = (problem.Models[problem.ModelOf[index]], index - problem.BlocksOf(problem.ModelOf[index])[0]);
            switch (action.Kind)
            {
                case StepActionKind.Free:
                    _session.Unload(_held[key]);
                    _held.Remove(key);
                    Evictions++;
                    break;
                case StepActionKind.Load:
                    _held[key] = Load(model, key.Item2);
                    LoadedBytes += problem.Blocks[index].Bytes;
                    LoadedBlocks++;
                    break;
                case StepActionKind.Run or StepActionKind.Stream:
                    bool streamed = action.Kind == StepActionKind.Stream;
                    DeployedModel handle = streamed ? Load(model, key.Item2) : _held[key];
                    InferenceResult result = RunBlock(model, problem.Blocks[index], handle, layerInputs, n, outputs);
                    if (streamed)
                    {
                        _session.Unload(handle);
                        StreamedBytes += problem.Blocks[index].Bytes;
                        StreamedBlocks++;
                    }

                    cycles += result.Cycles;
                    entries += result.Entries;
                    steps += result.ShiftAddSteps;
                    broadcasts += result.Broadcasts;
                    break;
            }
        }

        long linkBytes = _session.Link.BytesSent + _session.Link.BytesReceived - before;
        return new InferenceResult(n, model.Model.OutputSize, outputs, cycles, entries, steps, broadcasts, linkBytes);
    }

    // Deploys block k of the model; when the free memory is enough but in pieces, deploys the held blocks again packed first.
    private DeployedModel Load(ModelProfile model, int k)
    {
        DeployedModel handle;
        try
        {
            handle = _session.Deploy(model.ImageOf(k));
        }
        catch (DeployRefusedException) when (_session.Memory.Capacity - _session.Memory.UsedBytes >= _session.Memory.AlignedSize(model.Blocks[k].Bytes))
        {
            Compact();
            handle = _session.Deploy(model.ImageOf(k));
        }

        PeakBytes = Math.Max(PeakBytes, HeldBytes + _session.Memory.AlignedSize(handle.ImageBytes));
        return handle;
    }

    private void Compact()
    {
        Compactions++;
        foreach (DeployedModel handle in _held.Values)
        {
            _session.Unload(handle);
        }

        foreach ((ModelProfile model, int block) in _held.Keys.ToList())
        {
            _held[(model, block)] = _session.Deploy(model.ImageOf(block));
            CompactedBytes += model.Blocks[block].Bytes;
        }
    }

    // Runs one block over the batch. Blocks that take their columns from the Run (the first layer's, and the
    // next layer's after one cut into row blocks) get them from layerInputs; blocks that send outputs put
    // them at their rows: the model's outputs, or the next layer's input.
    private InferenceResult RunBlock(ModelProfile model, BlockProfile block, DeployedModel handle, byte[][] layerInputs, int n, int[] outputs)
    {
        SparseLayer layer = model.Model.Layers[block.Layer];
        byte[] blockInputs = new byte[n * handle.InputSize];
        for (int i = 0; i < n && handle.InputSize > 0; i++)
        {
            layerInputs[block.Layer].AsSpan((i * layer.Cols) + block.FirstCol, block.Cols).CopyTo(blockInputs.AsSpan(i * block.Cols));
        }

        InferenceResult result = _session.InferOnce(handle, blockInputs, n);
        if (!block.Emits)
        {
            return result;
        }

        bool lastLayer = block.Layer == model.Model.Layers.Count - 1;
        byte[] next = lastLayer ? [] : layerInputs[block.Layer + 1] ??= new byte[n * layer.Rows];
        for (int i = 0; i < n; i++)
        {
            for (int r = 0; r < block.Rows; r++)
            {
                int value = result.Outputs[(i * block.Rows) + r];
                int at = (i * layer.Rows) + block.FirstRow + r;
                if (lastLayer)
                {
                    outputs[at] = value;
                }
                else
                {
                    // A hidden layer's row block sends its raw sums (engines emit 8-bit values only
                    // into scratch); the host requantizes them with the kernel the engines use.
                    next[at] = (byte)Requantizer.ReluShiftSaturate(value, layer.OutputShift);
                }
            }
        }

        return result;
    }
}
