namespace CoDesign.Model.Spmv;

/// <summary>
/// One image the device runs for a sparse matrix-vector product: the entries of one codebook group
/// that fall in one tile of the matrix, as a one-layer model with raw 32-bit outputs.
/// </summary>
/// <param name="Model">The tile as a model: <c>Rows x Cols</c>, zero bias, raw outputs.</param>
/// <param name="Group">The codebook group the tile's entries belong to.</param>
/// <param name="RowStart">The matrix row of the tile's first row.</param>
/// <param name="ColStart">The matrix column of the tile's first column.</param>
/// <param name="Exponent">Each codebook value stands for itself times 2^Exponent (negative only when approximating).</param>
public sealed record SpmvPass(SparseModel Model, int Group, int RowStart, int ColStart, int Exponent)
{
    /// <summary>Rows of the tile.</summary>
    public int Rows => Model.OutputSize;

    /// <summary>Columns of the tile.</summary>
    public int Cols => Model.InputSize;
}
