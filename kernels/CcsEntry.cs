namespace CoDesign.Kernels;

/// <summary>
/// One CCS entry as it sits in memory: a byte whose low nibble is the codebook index <c>v</c> and
/// whose high nibble is the zero run <c>z</c> that precedes it (seed 002, EIE).
/// </summary>
public static class CcsEntry
{
    /// <summary>Largest zero run one entry can express; longer runs need padding entries.</summary>
    public const int MaxZeroRun = 15;

    /// <summary>Number of codebook entries a 4-bit index can address.</summary>
    public const int CodebookSize = 16;

    /// <summary>Packs a codebook index and a zero run (both 0..15) into one entry byte.</summary>
    public static byte Pack(int codebookIndex, int zeroRun) => (byte)((codebookIndex & 0xF) | ((zeroRun & 0xF) << 4));

    /// <summary>The 4-bit codebook index <c>v</c> of an entry.</summary>
    public static int CodebookIndex(byte entry) => entry & 0xF;

    /// <summary>The 4-bit zero run <c>z</c> of an entry.</summary>
    public static int ZeroRun(byte entry) => entry >> 4;
}
