using CoDesign.Planner.Decision;
using CoDesign.Planner.Profile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;

namespace CoDesign.Planner.Execution;

/// <summary>
/// The execution module: carries a <see cref="MemoryPlan"/> out on a device session. Resident blocks
/// are deployed once and stay; a streamed block is deployed (DMA writes, each chunk's host copy freed
/// on its acknowledgement) just before its step in each batch and unloaded once it has run, so the
/// device memory never holds more than the plan's peak. A batch runs block after block, each as one
/// Run over the whole batch: the inputs' partial sums stay in the device's accumulators from block to
/// block of a layer, and hidden activations stay in its scratch from layer to layer.
/// </summary>
public sealed class PlannedDeployment : IDisposable
{
    private readonly DeviceSession _session;
    private readonly Dictionary<ModelProfile, DeployedModel?[]> _handles = [];

    private PlannedDeployment(DeviceSession session, MemoryPlan plan)
    {
        _session = session;
        Plan = plan;
    }

    /// <summary>The plan carried out.</summary>
    public MemoryPlan Plan { get; }

    /// <summary>Weight bytes of streamed blocks sent so far.</summary>
    public long StreamedBytes { get; private set; }

    /// <summary>Blocks streamed in so far.</summary>
    public long StreamedBlocks { get; private set; }

    /// <summary>
    /// Deploys the plan's resident blocks. Throws <see cref="NotSupportedException"/> when the device's
    /// engine cannot keep partial sums across column blocks (its Hello does not advertise
    /// <see cref="EngineFeatures.ColumnBlocks"/>, as today's RTL does not), rather than let it compute
    /// something else.
    /// </summary>
    public static PlannedDeployment Deploy(DeviceSession session, MemoryPlan plan)
    {
        if ((session.Profile.Features & EngineFeatures.ColumnBlocks) == 0)
        {
            throw new NotSupportedException(
                $"device '{session.Profile.Name}' runs whole models only: it does not keep partial sums across column blocks " +
                "(its Hello reply does not advertise the column-block feature), so it cannot carry out a memory plan");
        }

        var deployment = new PlannedDeployment(session, plan);
        foreach (ModelProfile model in plan.Problem.Models)
        {
            var handles = new DeployedModel?[model.Blocks.Count];
            int k = 0;
            foreach ((_, BlockDecision decision) in plan.BlocksOf(model))
            {
                if (decision == BlockDecision.Resident)
                {
                    handles[k] = session.Deploy(model.ImageOf(k));
                }

                k++;
            }

            deployment._handles[model] = handles;
        }

        return deployment;
    }

    /// <summary>
    /// Runs <paramref name="count"/> inputs of <paramref name="model"/> (back to back in
    /// <paramref name="inputs"/>) in batches of the plan's batch size and returns the outputs with
    /// their costs, link bytes of the streamed blocks included.
    /// </summary>
    public InferenceResult Infer(ModelProfile model, ReadOnlySpan<byte> inputs, int count)
    {
        if (!_handles.TryGetValue(model, out DeployedModel?[]? handles))
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
            parts.Add(RunBatch(model, handles, inputs.Slice(start * inputSize, n * inputSize), n));
        }

        return InferenceResult.Concat(parts);
    }

    /// <summary>Unloads the resident blocks.</summary>
    public void Dispose()
    {
        foreach (DeployedModel? handle in _handles.Values.SelectMany(h => h))
        {
            if (handle is not null && _session.Models.Contains(handle))
            {
                _session.Unload(handle);
            }
        }

        _handles.Clear();
    }

    private InferenceResult RunBatch(ModelProfile model, DeployedModel?[] handles, ReadOnlySpan<byte> inputs, int n)
    {
        int inputSize = model.Model.InputSize;
        long cycles = 0, entries = 0, steps = 0, broadcasts = 0, linkBytes = 0;
        InferenceResult? last = null;
        for (int k = 0; k < model.Blocks.Count; k++)
        {
            BlockProfile block = model.Blocks[k];
            DeployedModel? handle = handles[k];
            bool streamed = handle is null;
            long before = _session.Link.BytesSent + _session.Link.BytesReceived;
            if (streamed)
            {
                handle = _session.Deploy(model.ImageOf(k));
                StreamedBytes += block.Bytes;
                StreamedBlocks++;
            }

            // First-layer blocks take their columns of each input from the Run; later layers read scratch.
            byte[] blockInputs = new byte[n * handle!.InputSize];
            for (int i = 0; i < n && handle.InputSize > 0; i++)
            {
                inputs.Slice((i * inputSize) + block.FirstCol, block.Cols).CopyTo(blockInputs.AsSpan(i * block.Cols));
            }

            InferenceResult result = _session.InferOnce(handle, blockInputs, n);
            if (streamed)
            {
                _session.Unload(handle);
            }

            linkBytes += _session.Link.BytesSent + _session.Link.BytesReceived - before;
            cycles += result.Cycles;
            entries += result.Entries;
            steps += result.ShiftAddSteps;
            broadcasts += result.Broadcasts;
            last = result;
        }

        return new InferenceResult(n, last!.OutputSize, last.Outputs, cycles, entries, steps, broadcasts, linkBytes);
    }
}
