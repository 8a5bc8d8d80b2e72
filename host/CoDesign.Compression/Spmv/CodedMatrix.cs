namespace CoDesign.Compression.Spmv;

/// <summary>
/// A matrix written as a sum of codebook groups, <c>A = A1 * 2^e1 + A2 * 2^e2 + ...</c>: each group's
/// entries are 4-bit indices into its own 16-entry codebook of 16-bit values (index 0 is zero), which
/// is what one accelerator image can hold.
/// </summary>
/// <param name="Rows">Rows of the matrix.</param>
/// <param name="Cols">Columns of the matrix.</param>
/// <param name="Groups">The groups; each entry of the matrix appears in one or more of them.</param>
public sealed record CodedMatrix(int Rows, int Cols, IReadOnlyList<CodeGroup> Groups);

/// <summary>One group: its codebook, the power of two its values are scaled by, and its entries.</summary>
/// <param name="Codebook">16 values, entry 0 zero.</param>
/// <param name="Exponent">Each codebook value stands for itself times 2^Exponent.</param>
/// <param name="Entries">The group's entries, sorted by row, then column.</param>
public sealed record CodeGroup(short[] Codebook, int Exponent, IReadOnlyList<CodedEntry> Entries);

/// <summary>One entry of a group: its position and codebook index (1..15).</summary>
/// <param name="Row">Matrix row.</param>
/// <param name="Col">Matrix column.</param>
/// <param name="Index">Codebook index.</param>
public readonly record struct CodedEntry(int Row, int Col, byte Index);
