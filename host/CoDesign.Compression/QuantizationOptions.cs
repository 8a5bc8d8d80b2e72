namespace CoDesign.Compression;

/// <summary>Settings of <see cref="ModelQuantizer"/>.</summary>
public sealed record QuantizationOptions
{
    /// <summary>Processing elements the rows are interleaved over in the CCS encoding.</summary>
    public int PeCount { get; init; } = 4;

    /// <summary>
    /// Percentile (0..100) of a hidden layer's calibration activations that should land near the top
    /// of the 8-bit range; larger values clip less and resolve small activations more coarsely.
    /// </summary>
    public double ActivationPercentile { get; init; } = 99.9;

    /// <summary>Calibration images used to measure activation ranges (the first ones of the calibration set).</summary>
    public int CalibrationImages { get; init; } = 10_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (PeCount is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentException($"PE count must be 1..{ushort.MaxValue}, not {PeCount}");
        }

        if (!(ActivationPercentile is > 0 and <= 100))
        {
            throw new ArgumentException($"activation percentile must be in (0, 100], not {ActivationPercentile}");
        }

        if (CalibrationImages < 1)
        {
            throw new ArgumentException($"calibration needs at least one image, not {CalibrationImages}");
        }
    }
}
