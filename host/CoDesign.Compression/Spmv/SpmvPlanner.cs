using System.Globalization;
using CoDesign.Model;
using CoDesign.Model.MatrixMarket;
using CoDesign.Model.Spmv;

namespace CoDesign.Compression.Spmv;

/// <summary>
/// Plans <c>y = A x</c> for the accelerator: codes A into codebook groups (exactly, or clustered with
/// <see cref="SpmvOptions.Approximate"/>), splits x into 8-bit planes, cuts each group into tiles the
/// device takes, and checks that no pass's 32-bit accumulator can overflow.
/// </summary>
public static class SpmvPlanner
{
    /// <summary>Positions in one tile at most: a tile is encoded from a dense index matrix of this many bytes (16 MiB).</summary>
    public const int MaxTileCells = 1 << 24;

    /// <summary>
    /// The plan for <paramref name="matrix"/> times <paramref name="planes"/>: <see cref="Code"/>, then
    /// <see cref="Tile"/>.
    /// </summary>
    public static SpmvPlan Plan(SparseMatrixData matrix, IReadOnlyList<VectorPlane> planes, SpmvOptions options, SpmvTileLimits limits) =>
        Tile(Code(matrix, planes, options), planes, options, limits);

    /// <summary>
    /// Codes <paramref name="matrix"/> into codebook groups: exactly, or with
    /// <see cref="SpmvOptions.Approximate"/> as one clustered codebook whose unit is as fine as the
    /// accumulator allows for these planes. Throws <see cref="ArgumentException"/> for a value that
    /// cannot be coded. Needs no device, so bad input is refused before one is opened.
    /// </summary>
    public static CodedMatrix Code(SparseMatrixData matrix, IReadOnlyList<VectorPlane> planes, SpmvOptions options)
    {
        if (options.Approximate && options.Wrap)
        {
            throw new ArgumentException("--wrap applies to exact products only: an approximate one picks its fixed-point unit so that no row overflows");
        }

        return options.Approximate ? CodeApproximately(matrix, planes) : ExactCoding.Code(matrix);
    }

    /// <summary>
    /// Cuts each group of <paramref name="coded"/> into tiles the device takes (<paramref name="limits"/>)
    /// and checks that no pass's 32-bit accumulator can overflow for these planes. Throws
    /// <see cref="ArgumentException"/> naming the row that could overflow (unless
    /// <see cref="SpmvOptions.Wrap"/>), or when the device is too small for a single entry.
    /// </summary>
    public static SpmvPlan Tile(CodedMatrix coded, IReadOnlyList<VectorPlane> planes, SpmvOptions options, SpmvTileLimits limits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.PeCount);
        (int tileRows, int tileCols) = GridShape(coded.Rows, coded.Cols, limits);
        var passes = new List<SpmvPass>();
        for (int g = 0; g < coded.Groups.Count; g++)
        {
            CodeGroup group = coded.Groups[g];
            foreach (IGrouping<(int, int), CodedEntry> cell in group.Entries.GroupBy(e => (e.Row / tileRows, e.Col / tileCols)))
            {
                (int r, int c) = cell.Key;
                var tile = new TileArea(r * tileRows, c * tileCols, Math.Min(tileRows, coded.Rows - (r * tileRows)), Math.Min(tileCols, coded.Cols - (c * tileCols)));
                AddTiles(passes, g, group, tile, [.. cell], planes, options, limits);
            }
        }

        return new SpmvPlan(coded.Rows, coded.Cols, !options.Approximate, options.Wrap, coded.Groups.Count, passes, planes);
    }

    /// <summary>The largest |accumulator| any row of <paramref name="entries"/> can reach for any plane: the sum of |codebook value| times the plane's digit.</summary>
    public static (long Bound, int Row) WorstRow(IEnumerable<CodedEntry> entries, short[] codebook, IReadOnlyList<VectorPlane> planes)
    {
        (long Bound, int Row) worst = (0, -1);
        foreach (VectorPlane plane in planes)
        {
            var sums = new Dictionary<int, long>();
            foreach (CodedEntry e in entries)
            {
                long sum = sums.GetValueOrDefault(e.Row) + (Math.Abs((long)codebook[e.Index]) * plane.Values[e.Col]);
                sums[e.Row] = sum;
                if (sum > worst.Bound)
                {
                    worst = (sum, e.Row);
                }
            }
        }

        return worst;
    }

    /// <summary>One codebook for the whole matrix at the finest unit with which no row can overflow for these planes.</summary>
    private static CodedMatrix CodeApproximately(SparseMatrixData matrix, IReadOnlyList<VectorPlane> planes)
    {
        double[] shared = ApproximateCoding.SharedValues(matrix);
        for (int exponent = ApproximateCoding.FinestExponent(shared); ; exponent--)
        {
            CodedMatrix coded = ApproximateCoding.Code(matrix, shared, exponent);
            CodeGroup group = coded.Groups[0];
            if (WorstRow(group.Entries, group.Codebook, planes).Bound <= int.MaxValue)
            {
                return coded;
            }
        }
    }

    /// <summary>
    /// The largest tile shape the device's frames and activation memory take, and at most
    /// <see cref="MaxTileCells"/> positions, halving the longer side.
    /// </summary>
    private static (int Rows, int Cols) GridShape(int rows, int cols, SpmvTileLimits limits)
    {
        while (!limits.ShapeFits(rows, cols) || (long)rows * cols > MaxTileCells)
        {
            if (rows == 1 && cols == 1)
            {
                throw new ArgumentException("the device cannot take even a 1 x 1 tile");
            }

            if (rows >= cols)
            {
                rows = (rows + 1) / 2;
            }
            else
            {
                cols = (cols + 1) / 2;
            }
        }

        return (rows, cols);
    }

    /// <summary>Adds <paramref name="tile"/> as a pass, or its halves when its image does not fit the device.</summary>
    private static void AddTiles(List<SpmvPass> passes, int g, CodeGroup group, TileArea tile, CodedEntry[] entries, IReadOnlyList<VectorPlane> planes, SpmvOptions options, SpmvTileLimits limits)
    {
        if (!options.Wrap)
        {
            (long bound, int row) = WorstRow(entries, group.Codebook, planes);
            if (bound > int.MaxValue)
            {
                throw new ArgumentException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"row {row + 1} could overflow the 32-bit accumulator: in one pass its |value| x |input| products add up to {bound:N0}, beyond {int.MaxValue:N0}; --wrap takes y modulo 2^32, as the hardware would"));
            }
        }

        SparseModel model = Build(tile, group, entries, options, g);
        if (limits.ModelFits(model))
        {
            passes.Add(new SpmvPass(model, g, tile.RowStart, tile.ColStart, group.Exponent));
            return;
        }

        if (tile.Rows == 1 && tile.Cols == 1)
        {
            throw new ArgumentException($"the device cannot hold even a 1 x 1 tile of group {g}");
        }

        (TileArea first, TileArea second) = tile.Halve();
        foreach (TileArea half in (TileArea[])[first, second])
        {
            CodedEntry[] inside = [.. entries.Where(half.Contains)];
            if (inside.Length > 0)
            {
                AddTiles(passes, g, group, half, inside, planes, options, limits);
            }
        }
    }

    private static SparseModel Build(TileArea tile, CodeGroup group, CodedEntry[] entries, SpmvOptions options, int g)
    {
        var indices = new byte[(long)tile.Rows * tile.Cols];
        foreach (CodedEntry e in entries)
        {
            indices[((long)(e.Row - tile.RowStart) * tile.Cols) + e.Col - tile.ColStart] = e.Index;
        }

        var layer = new SparseLayer(
            CcsMatrix.Encode(indices, tile.Rows, tile.Cols, options.PeCount), group.Codebook, new int[tile.Rows], LayerOutput.Raw32, 0, (float)Math.ScaleB(1.0, group.Exponent));
        var metadata = new Dictionary<string, string>
        {
            ["producer"] = "CoDesign.Compression.Spmv.SpmvPlanner",
            ["exact"] = options.Approximate ? "false" : "true",
            ["group"] = g.ToString(CultureInfo.InvariantCulture),
            ["exponent"] = group.Exponent.ToString(CultureInfo.InvariantCulture),
            ["tile"] = string.Create(CultureInfo.InvariantCulture, $"rows {tile.RowStart}+{tile.Rows}, cols {tile.ColStart}+{tile.Cols}"),
        };
        return new SparseModel(string.Create(CultureInfo.InvariantCulture, $"{options.Name}.g{g}.r{tile.RowStart}.c{tile.ColStart}"), tile.Cols, [layer], metadata);
    }

    /// <summary>A rectangle of the matrix.</summary>
    private readonly record struct TileArea(int RowStart, int ColStart, int Rows, int Cols)
    {
        public bool Contains(CodedEntry e) => e.Row >= RowStart && e.Row < RowStart + Rows && e.Col >= ColStart && e.Col < ColStart + Cols;

        /// <summary>The two halves across the longer side.</summary>
        public (TileArea, TileArea) Halve()
        {
            if (Rows >= Cols)
            {
                int top = (Rows + 1) / 2;
                return (this with { Rows = top }, new TileArea(RowStart + top, ColStart, Rows - top, Cols));
            }

            int left = (Cols + 1) / 2;
            return (this with { Cols = left }, new TileArea(RowStart, ColStart + left, Rows, Cols - left));
        }
    }
}
