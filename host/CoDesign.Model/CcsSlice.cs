namespace CoDesign.Model;

/// <summary>One PE's share of a CCS matrix: its packed (v, z) entries and the column pointers.</summary>
/// <param name="Entries">Entry bytes, low nibble codebook index, high nibble zero run.</param>
/// <param name="Pointers">Column starts, one per column plus a final entry equal to the entry count.</param>
public sealed record CcsSlice(byte[] Entries, int[] Pointers)
{
    /// <summary>Entries in this slice, padding included.</summary>
    public int EntryCount => Entries.Length;
}
