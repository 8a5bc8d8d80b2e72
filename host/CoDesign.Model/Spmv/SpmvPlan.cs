using System.Numerics;

namespace CoDesign.Model.Spmv;

/// <summary>
/// How a product <c>y = A x</c> runs on the accelerator: the matrix split into codebook groups (each at
/// most 15 distinct 16-bit values times a power of two) and tiles that fit the device, and the vector
/// split into 8-bit planes. Every pass runs every plane; <see cref="CombineExact"/> and
/// <see cref="CombineApproximate"/> add the partial products back together on the host.
/// </summary>
public sealed class SpmvPlan
{
    /// <summary>Creates a plan; the passes must lie inside the matrix.</summary>
    public SpmvPlan(int rows, int cols, bool isExact, bool wraps, int groupCount, IReadOnlyList<SpmvPass> passes, IReadOnlyList<VectorPlane> planes)
    {
        foreach (SpmvPass pass in passes)
        {
            if (pass.RowStart < 0 || pass.ColStart < 0 || pass.RowStart + pass.Rows > rows || pass.ColStart + pass.Cols > cols)
            {
                throw new ArgumentException($"a {pass.Rows} x {pass.Cols} pass at ({pass.RowStart}, {pass.ColStart}) lies outside the {rows} x {cols} matrix", nameof(passes));
            }
        }

        foreach (VectorPlane plane in planes)
        {
            if (plane.Values.Length != cols)
            {
                throw new ArgumentException($"a vector plane has {plane.Values.Length} values for {cols} columns", nameof(planes));
            }
        }

        Rows = rows;
        Cols = cols;
        IsExact = isExact;
        Wraps = wraps;
        GroupCount = groupCount;
        Passes = passes;
        Planes = planes;
    }

    /// <summary>Rows of A (outputs).</summary>
    public int Rows { get; }

    /// <summary>Columns of A (inputs).</summary>
    public int Cols { get; }

    /// <summary>True when the codebooks hold A's values exactly; false when they were clustered (<c>--approximate</c>).</summary>
    public bool IsExact { get; }

    /// <summary>True when outputs are taken modulo 2^32, as the 32-bit accumulator wraps.</summary>
    public bool Wraps { get; }

    /// <summary>Codebook groups A was split into (A = A1 + A2 + ...).</summary>
    public int GroupCount { get; }

    /// <summary>The images to run, one per group and tile that holds entries.</summary>
    public IReadOnlyList<SpmvPass> Passes { get; }

    /// <summary>The vector's 8-bit planes, each run through every pass as one batch.</summary>
    public IReadOnlyList<VectorPlane> Planes { get; }

    /// <summary>Distinct tiles over all groups.</summary>
    public int TileCount => Passes.Select(p => (p.RowStart, p.ColStart, p.Rows, p.Cols)).Distinct().Count();

    /// <summary>The inputs of one pass: each plane's slice of the tile's columns, plane after plane.</summary>
    public byte[] PassInputs(SpmvPass pass)
    {
        var inputs = new byte[Planes.Count * pass.Cols];
        for (int q = 0; q < Planes.Count; q++)
        {
            Planes[q].Values.AsSpan(pass.ColStart, pass.Cols).CopyTo(inputs.AsSpan(q * pass.Cols));
        }

        return inputs;
    }

    /// <summary>
    /// Adds the passes' raw outputs into y exactly. <paramref name="passOutputs"/>[p] holds pass p's
    /// outputs for every plane, plane after plane (as one Run batch returns them). With
    /// <see cref="Wraps"/> each result is reduced to the signed 32-bit value the accumulator would hold.
    /// </summary>
    public BigInteger[] CombineExact(IReadOnlyList<int[]> passOutputs)
    {
        if (!IsExact)
        {
            throw new InvalidOperationException("an approximate plan's outputs are real numbers; combine them with CombineApproximate");
        }

        var y = new BigInteger[Rows];
        Visit(passOutputs, (row, raw, sign, shift) => y[row] += sign * ((BigInteger)raw << shift));
        if (Wraps)
        {
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = unchecked((int)(uint)(y[i] & uint.MaxValue));
            }
        }

        return y;
    }

    /// <summary>Adds the passes' raw outputs into y as real numbers (codebook exponents may be negative).</summary>
    public double[] CombineApproximate(IReadOnlyList<int[]> passOutputs)
    {
        var y = new double[Rows];
        Visit(passOutputs, (row, raw, sign, shift) => y[row] += sign * Math.ScaleB(raw, shift));
        return y;
    }

    private void Visit(IReadOnlyList<int[]> passOutputs, Action<int, int, int, int> add)
    {
        if (passOutputs.Count != Passes.Count)
        {
            throw new ArgumentException($"{passOutputs.Count} pass outputs for {Passes.Count} passes", nameof(passOutputs));
        }

        for (int p = 0; p < Passes.Count; p++)
        {
            SpmvPass pass = Passes[p];
            if (passOutputs[p].Length != Planes.Count * pass.Rows)
            {
                throw new ArgumentException($"pass {p} returned {passOutputs[p].Length} outputs; expected {Planes.Count} planes x {pass.Rows} rows", nameof(passOutputs));
            }

            for (int q = 0; q < Planes.Count; q++)
            {
                VectorPlane plane = Planes[q];
                for (int r = 0; r < pass.Rows; r++)
                {
                    add(pass.RowStart + r, passOutputs[p][(q * pass.Rows) + r], plane.Sign, pass.Exponent + plane.Shift);
                }
            }
        }
    }
}
