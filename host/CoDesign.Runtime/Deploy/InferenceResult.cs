namespace CoDesign.Runtime.Deploy;

/// <summary>Outputs of a batch and what it cost. The output of stage "infer".</summary>
/// <param name="Count">Inputs in the batch.</param>
/// <param name="OutputSize">Outputs per input.</param>
/// <param name="Outputs">All outputs, input after input.</param>
/// <param name="Cycles">Device cycles by the device's cost model (or measured, for hardware).</param>
/// <param name="Entries">CCS entries the PEs consumed.</param>
/// <param name="ShiftAddSteps">Add/subtract steps of the shift-add multipliers.</param>
/// <param name="Broadcasts">Nonzero activations broadcast to the PEs.</param>
/// <param name="LinkBytes">Wire bytes both ways for this batch.</param>
public sealed record InferenceResult(int Count, int OutputSize, int[] Outputs, long Cycles, long Entries, long ShiftAddSteps, long Broadcasts, long LinkBytes)
{
    /// <summary>The outputs of input <paramref name="index"/>.</summary>
    public ReadOnlySpan<int> OutputsOf(int index) => Outputs.AsSpan(index * OutputSize, OutputSize);

    /// <summary>Consecutive batches of one model as one result: outputs in order, costs summed.</summary>
    public static InferenceResult Concat(IReadOnlyList<InferenceResult> parts)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count);
        int outputSize = parts[0].OutputSize;
        if (parts.Any(p => p.OutputSize != outputSize))
        {
            throw new ArgumentException("batches of different output sizes cannot be joined", nameof(parts));
        }

        return new InferenceResult(
            parts.Sum(p => p.Count),
            outputSize,
            [.. parts.SelectMany(p => p.Outputs)],
            parts.Sum(p => p.Cycles),
            parts.Sum(p => p.Entries),
            parts.Sum(p => p.ShiftAddSteps),
            parts.Sum(p => p.Broadcasts),
            parts.Sum(p => p.LinkBytes));
    }
}
