namespace CoDesign.Model.Spmv;

/// <summary>
/// What a device can take as one pass of a product: the shape its frames and activation memory allow,
/// checked before a tile is built, and whether a built tile's image fits its weight memory.
/// </summary>
/// <param name="ShapeFits">True when a tile of (rows, cols) fits the device's frames and activation memory.</param>
/// <param name="ModelFits">True when a built tile compiles into the device's weight memory.</param>
public sealed record SpmvTileLimits(Func<int, int, bool> ShapeFits, Predicate<SparseModel> ModelFits)
{
    /// <summary>No limits: every tile fits (the whole matrix is one tile per group).</summary>
    public static SpmvTileLimits None { get; } = new((_, _) => true, _ => true);
}
