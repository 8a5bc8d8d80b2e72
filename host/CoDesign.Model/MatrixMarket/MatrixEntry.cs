namespace CoDesign.Model.MatrixMarket;

/// <summary>One stored value of a sparse matrix; rows and columns count from zero.</summary>
/// <param name="Row">Zero-based row.</param>
/// <param name="Col">Zero-based column.</param>
/// <param name="Value">The value (1 for pattern matrices).</param>
public readonly record struct MatrixEntry(int Row, int Col, double Value);
