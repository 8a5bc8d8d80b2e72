using System.Globalization;

namespace CoDesign.Compression;

/// <summary>
/// How faithfully <see cref="SpmvModelBuilder"/> could put a matrix on the accelerator, and how to read
/// its results back: a raw 32-bit output times <see cref="OutputUnit"/> is the real value of y.
/// </summary>
/// <param name="IsExact">True when the codebook holds the matrix's values exactly (integers, at most 15 distinct nonzero values, each within int16).</param>
/// <param name="DistinctNonzeroValues">Distinct nonzero values in the matrix.</param>
/// <param name="NonzeroCount">Entries with a nonzero value.</param>
/// <param name="MaxAbsValue">Largest |value| in the matrix.</param>
/// <param name="OutputUnit">Real value of one unit of a raw output (1 when exact, 2^-f when quantized to fixed point).</param>
/// <param name="RmsRelativeError">Root-mean-square of (value - stored value) over the nonzeros, divided by <paramref name="MaxAbsValue"/>.</param>
/// <param name="MaxRelativeError">Largest |value - stored value| over the nonzeros, divided by <paramref name="MaxAbsValue"/>.</param>
/// <param name="AccumulatorMayWrap">True when some row could exceed the 32-bit accumulator for inputs up to 255 (results then wrap modulo 2^32).</param>
public sealed record SpmvEncodingReport(
    bool IsExact,
    int DistinctNonzeroValues,
    long NonzeroCount,
    double MaxAbsValue,
    double OutputUnit,
    double RmsRelativeError,
    double MaxRelativeError,
    bool AccumulatorMayWrap)
{
    /// <summary>The real value of a raw 32-bit output.</summary>
    public double ToReal(int raw) => raw * OutputUnit;

    /// <summary>What the user should know about the results, or null when they are exact.</summary>
    public string? Warning
    {
        get
        {
            var warnings = new List<string>();
            if (!IsExact)
            {
                warnings.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"the matrix's {DistinctNonzeroValues} distinct nonzero values do not fit the accelerator's 15-entry integer codebook exactly, so they were quantized " +
                    $"to 15 shared 16-bit fixed-point values (one unit = {OutputUnit:G6}): RMS error {RmsRelativeError:P3}, max error {MaxRelativeError:P3} of the largest |value|; y is approximate"));
            }

            if (AccumulatorMayWrap)
            {
                warnings.Add("some row can exceed the 32-bit accumulator for inputs near 255; such outputs wrap modulo 2^32 as the hardware does");
            }

            return warnings.Count == 0 ? null : string.Join("; ", warnings);
        }
    }
}
