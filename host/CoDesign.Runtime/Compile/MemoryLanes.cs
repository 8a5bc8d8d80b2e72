namespace CoDesign.Runtime.Compile;

/// <summary>
/// How a layer's PE slices lie in the weight memory: interleaved over up to <see cref="MaxLanes"/>
/// lanes, so that each 8-byte line holds one word of every lane. The device's weight memory has four
/// banks of 2-byte words interleaved the same way (bank = address bits 2..1; on the UP5K each bank is
/// one SPRAM), so with four lanes PE p reads its pointers and entries from bank p with a port of its
/// own while the other PEs read theirs: the banking that lets EIE-style PEs run side by side.
/// <para>A layer compiled for N PEs uses the largest power of two lanes that is at most
/// min(N, 4); a lane word is 8 / lanes bytes (2, 4, or the whole line for one PE, which is plain
/// linear order). PE p writes lane p mod lanes, after the PEs before it in that lane.</para>
/// <para>A lane array starts on a lane word; its byte m lies at
/// <c>start + 8 * (m / word) + m % word</c>. Multi-byte values (16- or 32-bit pointers) are
/// little-endian in lane order.</para>
/// </summary>
public static class MemoryLanes
{
    /// <summary>Lanes of a layer with four PEs or more (weight memory banks).</summary>
    public const int MaxLanes = 4;

    /// <summary>Bytes of one line: a word of every lane.</summary>
    public const int LineBytes = 8;

    /// <summary>Lanes of a layer compiled for <paramref name="peCount"/> PEs.</summary>
    public static int Lanes(int peCount) => peCount >= MaxLanes ? MaxLanes : peCount >= 2 ? 2 : 1;

    /// <summary>Bytes of a lane word in a layer compiled for <paramref name="peCount"/> PEs.</summary>
    public static int WordBytes(int peCount) => LineBytes / Lanes(peCount);

    /// <summary>The lane that PE <paramref name="pe"/> of <paramref name="peCount"/> reads.</summary>
    public static int LaneOf(int pe, int peCount) => pe % Lanes(peCount);

    /// <summary>Image offset of byte <paramref name="index"/> of the lane array that starts at <paramref name="start"/>.</summary>
    public static long Address(int start, long index, int wordBytes) => start + (LineBytes * (index / wordBytes)) + (index % wordBytes);

    /// <summary>One past the last image byte that a lane array of <paramref name="length"/> bytes touches (its start when empty).</summary>
    public static long End(int start, long length, int wordBytes) => length == 0 ? start : Address(start, length - 1, wordBytes) + 1;

    /// <summary>Writes <paramref name="data"/> as the lane array at <paramref name="start"/>.</summary>
    public static void Write(Span<byte> image, int start, ReadOnlySpan<byte> data, int wordBytes)
    {
        for (int m = 0; m < data.Length; m++)
        {
            image[(int)Address(start, m, wordBytes)] = data[m];
        }
    }

    /// <summary>Reads the lane array at <paramref name="start"/> into <paramref name="data"/>.</summary>
    public static void Read(ReadOnlySpan<byte> image, int start, Span<byte> data, int wordBytes)
    {
        for (int m = 0; m < data.Length; m++)
        {
            data[m] = image[(int)Address(start, m, wordBytes)];
        }
    }
}
