using CoDesign.Planner.Profile;
using CoDesign.Runtime;

namespace CoDesign.Planner.Decision;

/// <summary>
/// What the decision module decides over: every block of every model on one device, the request mix,
/// the batch, and the device memory the blocks may use. The schedule runs each requested model's
/// blocks in order, one batch per request; a streamed block occupies memory during its own step
/// only, next to every resident block.
/// </summary>
public sealed class PlanningProblem
{
    /// <summary>Creates a problem; <paramref name="batch"/> is capped by every model's <see cref="ModelProfile.MaxBatch"/>.</summary>
    public PlanningProblem(IReadOnlyList<ModelProfile> models, DeviceProfile device, RequestMix mix, int batch, int? capacity = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        Models = models;
        Device = device;
        Mix = mix;
        Batch = Math.Min(batch, models.Min(m => m.MaxBatch));
        Capacity = capacity ?? device.PersistentBytes;
        Blocks = [.. models.SelectMany(m => m.Blocks)];
        ModelOf = [.. models.SelectMany((m, i) => m.Blocks.Select(_ => i))];
    }

    /// <summary>The models, in the order given.</summary>
    public IReadOnlyList<ModelProfile> Models { get; }

    /// <summary>The device.</summary>
    public DeviceProfile Device { get; }

    /// <summary>How often each model is requested.</summary>
    public RequestMix Mix { get; }

    /// <summary>Inputs per request: a streamed block is sent once per batch.</summary>
    public int Batch { get; }

    /// <summary>Device memory the blocks may occupy at any step.</summary>
    public int Capacity { get; }

    /// <summary>Every block of every model, model after model.</summary>
    public IReadOnlyList<BlockProfile> Blocks { get; }

    /// <summary>The index in <see cref="Models"/> of each block's model.</summary>
    public IReadOnlyList<int> ModelOf { get; }

    /// <summary>The share of requests that use block <paramref name="index"/>.</summary>
    public double ShareOf(int index) => Mix.ShareOf(Models[ModelOf[index]].Name);

    /// <summary>Allocator rounding: every image takes whole 8-byte (bus) words.</summary>
    public int Footprint(int index) => (Blocks[index].Bytes + 7) / 8 * 8;

    /// <summary>
    /// Weight bytes sent per input under <paramref name="decisions"/>, averaged over the mix: each
    /// streamed block once per batch of its model's requests.
    /// </summary>
    public double StreamedBytesPerInput(IReadOnlyList<BlockDecision> decisions)
    {
        double bytes = 0;
        for (int i = 0; i < Blocks.Count; i++)
        {
            bytes += decisions[i] == BlockDecision.Streamed ? ShareOf(i) * Blocks[i].Bytes / Batch : 0;
        }

        return bytes;
    }

    /// <summary>The largest memory any step of the schedule needs under <paramref name="decisions"/>.</summary>
    public int PeakBytes(IReadOnlyList<BlockDecision> decisions)
    {
        int resident = Enumerable.Range(0, Blocks.Count).Where(i => decisions[i] == BlockDecision.Resident).Sum(Footprint);
        int streamed = Enumerable.Range(0, Blocks.Count).Where(i => decisions[i] == BlockDecision.Streamed).Select(Footprint).DefaultIfEmpty(0).Max();
        return resident + streamed;
    }
}
