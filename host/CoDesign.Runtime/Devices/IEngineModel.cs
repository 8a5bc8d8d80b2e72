namespace CoDesign.Runtime.Devices;

/// <summary>A committed model prepared by an <see cref="IComputeEngine"/> to run batches of inputs.</summary>
public interface IEngineModel : IDisposable
{
    /// <summary>
    /// Runs <paramref name="count"/> inputs of the model's input size, back to back in
    /// <paramref name="inputs"/>, and writes the last layer's outputs, <paramref name="count"/> times
    /// its output size, to <paramref name="outputs"/>. Returns what the batch cost.
    /// </summary>
    EngineWork Run(ReadOnlySpan<byte> inputs, int count, Span<int> outputs);
}
