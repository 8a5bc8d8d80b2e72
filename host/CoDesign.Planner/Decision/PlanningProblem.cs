using CoDesign.Planner.Profile;
using CoDesign.Runtime;

namespace CoDesign.Planner.Decision;

/// <summary>
/// What the decision module decides over: every block of every model on one device, the request mix,
/// the step sequence drawn from it, the batch, and the device memory the blocks may use. Each step runs
/// one batch of one model, block after block; at every step each block is resident (in memory through
/// the step), streamed in for its own part of the step (its model's steps only), or evicted.
/// </summary>
public sealed class PlanningProblem
{
    private readonly int[][] _blocksOf;

    /// <summary>
    /// Creates a problem; <paramref name="batch"/> is capped by every model's <see cref="ModelProfile.MaxBatch"/>,
    /// and the step sequence has about <paramref name="horizon"/> steps ordered by <paramref name="seed"/>.
    /// The blocks may use <paramref name="capacity"/> bytes and <paramref name="slots"/> model slots (the
    /// device's <see cref="DeviceProfile.PersistentBytes"/> and <see cref="DeviceProfile.ModelSlots"/> unless given).
    /// </summary>
    public PlanningProblem(IReadOnlyList<ModelProfile> models, DeviceProfile device, RequestMix mix, int batch, int? capacity = null, int horizon = StepSequence.DefaultHorizon, int seed = 1, int? slots = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots ?? 1, nameof(slots));
        Models = models;
        Device = device;
        Mix = mix;
        Batch = Math.Min(batch, models.Min(m => m.MaxBatch));
        Capacity = capacity ?? device.PersistentBytes;
        Slots = slots ?? (device.ModelSlots > 0 ? device.ModelSlots : int.MaxValue);
        Blocks = [.. models.SelectMany(m => m.Blocks)];
        ModelOf = [.. models.SelectMany((m, i) => m.Blocks.Select(_ => i))];
        _blocksOf = [.. Enumerable.Range(0, models.Count).Select(m => Enumerable.Range(0, Blocks.Count).Where(i => ModelOf[i] == m).ToArray())];
        Steps = StepSequence.Derive([.. models.Select(m => m.Name)], mix, horizon, seed);
    }

    /// <summary>The models, in the order given.</summary>
    public IReadOnlyList<ModelProfile> Models { get; }

    /// <summary>The device.</summary>
    public DeviceProfile Device { get; }

    /// <summary>How often each model is requested.</summary>
    public RequestMix Mix { get; }

    /// <summary>The schedule: which model each step runs, repeated cyclically.</summary>
    public StepSequence Steps { get; }

    /// <summary>Inputs per request: a streamed block is sent once per batch.</summary>
    public int Batch { get; }

    /// <summary>Device memory the blocks may occupy at any step.</summary>
    public int Capacity { get; }

    /// <summary>
    /// Models the device registers at once (<see cref="int.MaxValue"/> when it sets no limit): at every step the
    /// resident blocks, and one more while a block is streamed in, each take one.
    /// </summary>
    public int Slots { get; }

    /// <summary>Every block of every model, model after model.</summary>
    public IReadOnlyList<BlockProfile> Blocks { get; }

    /// <summary>The index in <see cref="Models"/> of each block's model.</summary>
    public IReadOnlyList<int> ModelOf { get; }

    /// <summary>The indices in <see cref="Blocks"/> of model <paramref name="model"/>'s blocks, in execution order.</summary>
    public IReadOnlyList<int> BlocksOf(int model) => _blocksOf[model];

    /// <summary>The share of requests that use block <paramref name="index"/>.</summary>
    public double ShareOf(int index) => Mix.ShareOf(Models[ModelOf[index]].Name);

    /// <summary>Allocator rounding: every image takes whole 8-byte (bus) words.</summary>
    public int Footprint(int index) => (Blocks[index].Bytes + 7) / 8 * 8;

    /// <summary>True when step <paramref name="step"/> runs block <paramref name="index"/>'s model.</summary>
    public bool Uses(int step, int index) => Steps.Models[step] == ModelOf[index];

    /// <summary>
    /// Weight bytes sent per input under <paramref name="states"/> (state per step, then per block) once the
    /// sequence repeats, averaged over the mix: at each step a block of its model is sent when it is
    /// streamed, or when it is resident but was not at the step before (loaded for this step and kept).
    /// </summary>
    public double WeightBytesPerInput(IReadOnlyList<IReadOnlyList<BlockDecision>> states)
    {
        long[] perStep = WeightBytesPerStep(states);
        return Enumerable.Range(0, Steps.Count).Sum(t => Steps.Weights[t] * perStep[t]) / Batch;
    }

    /// <summary>Weight bytes sent at each step (one batch) under <paramref name="states"/> once the sequence repeats.</summary>
    public long[] WeightBytesPerStep(IReadOnlyList<IReadOnlyList<BlockDecision>> states)
    {
        var bytes = new long[Steps.Count];
        for (int t = 0; t < Steps.Count; t++)
        {
            IReadOnlyList<BlockDecision> before = states[Steps.Previous(t)];
            foreach (int i in _blocksOf[Steps.Models[t]])
            {
                bool sent = states[t][i] == BlockDecision.Streamed || before[i] != BlockDecision.Resident;
                bytes[t] += sent ? Blocks[i].Bytes : 0;
            }
        }

        return bytes;
    }

    /// <summary>Bytes of the blocks resident at step <paramref name="step"/>.</summary>
    public int ResidentBytesAt(IReadOnlyList<IReadOnlyList<BlockDecision>> states, int step) =>
        Enumerable.Range(0, Blocks.Count).Where(i => states[step][i] == BlockDecision.Resident).Sum(Footprint);

    /// <summary>The largest block streamed in at step <paramref name="step"/>, leaving out block <paramref name="except"/> when given (0 when none is).</summary>
    public int StreamedBytesAt(IReadOnlyList<IReadOnlyList<BlockDecision>> states, int step, int except = -1) =>
        _blocksOf[Steps.Models[step]].Where(i => i != except && states[step][i] == BlockDecision.Streamed).Select(Footprint).DefaultIfEmpty(0).Max();

    /// <summary>Blocks resident through step <paramref name="step"/>.</summary>
    public int ResidentBlocksAt(IReadOnlyList<IReadOnlyList<BlockDecision>> states, int step) =>
        Enumerable.Range(0, Blocks.Count).Count(i => states[step][i] == BlockDecision.Resident);

    /// <summary>Model slots step <paramref name="step"/> takes: one per resident block, and one for the block streamed in while it runs, if any.</summary>
    public int SlotsAt(IReadOnlyList<IReadOnlyList<BlockDecision>> states, int step) =>
        ResidentBlocksAt(states, step)
        + (_blocksOf[Steps.Models[step]].Any(i => states[step][i] == BlockDecision.Streamed) ? 1 : 0);

    /// <summary>The largest memory any step needs: its resident blocks and, while each runs, its largest streamed block.</summary>
    public int PeakBytes(IReadOnlyList<IReadOnlyList<BlockDecision>> states) =>
        Enumerable.Range(0, Steps.Count).Max(t => ResidentBytesAt(states, t) + StreamedBytesAt(states, t));

    /// <summary>
    /// A plan that makes one decision per block for the whole schedule, as states per step: a resident
    /// block is resident at every step, a streamed one is streamed at its model's steps and absent at the others.
    /// </summary>
    public BlockDecision[][] EveryStep(IReadOnlyList<BlockDecision> decisions) =>
        [.. Enumerable.Range(0, Steps.Count).Select(t => Enumerable.Range(0, Blocks.Count).Select(i => decisions[i] switch
        {
            BlockDecision.Resident => BlockDecision.Resident,
            BlockDecision.Streamed when Uses(t, i) => BlockDecision.Streamed,
            _ => BlockDecision.Evicted,
        }).ToArray())];
}
