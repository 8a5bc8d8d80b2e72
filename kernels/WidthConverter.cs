namespace CoDesign.Kernels;

/// <summary>
/// Bit-width conversion between memory words and compute values: the gearbox on the parameter,
/// vector and result access paths of seed 002. Memory holds a little-endian bit stream: value
/// <c>i</c> occupies stream bits <c>[i*valueBits, (i+1)*valueBits)</c>, and a value may straddle two
/// words. Memory is read and written one word (8, 16, 32 or 64 bits, little-endian bytes) at a time,
/// as the access path's bus does; the methods return how many words they touched.
/// </summary>
/// <remarks>
/// Values are 1..32 bits. Unpacking sign-extends (signed) or zero-extends (unsigned) into an
/// <c>int</c>; a 32-bit unsigned value keeps its bit pattern. Packing keeps the low
/// <c>valueBits</c> bits of each value (wrap-around truncation, as a narrower register would).
/// </remarks>
public static class WidthConverter
{
    /// <summary>True for the supported memory word widths: 8, 16, 32 and 64.</summary>
    public static bool IsWordWidth(int wordBits) => wordBits is 8 or 16 or 32 or 64;

    /// <summary>True for the supported value widths: 1 to 32.</summary>
    public static bool IsValueWidth(int valueBits) => valueBits is >= 1 and <= 32;

    /// <summary>Words needed to hold <paramref name="count"/> values of <paramref name="valueBits"/> bits.</summary>
    public static long WordCount(long count, int valueBits, int wordBits) => ((count * valueBits) + wordBits - 1) / wordBits;

    /// <summary>Bytes of memory (whole words) needed to hold <paramref name="count"/> values.</summary>
    public static long ByteCount(long count, int valueBits, int wordBits) => WordCount(count, valueBits, wordBits) * (wordBits / 8);

    /// <summary>
    /// Reads <c>values.Length</c> values of <paramref name="valueBits"/> bits from <paramref name="memory"/>
    /// (at least <see cref="ByteCount"/> bytes). Returns the number of words read.
    /// </summary>
    public static long Unpack(ReadOnlySpan<byte> memory, int wordBits, int valueBits, bool signed, Span<int> values)
    {
        int wordBytes = wordBits >> 3;
        long wordsRead = 0;
        ulong word = 0;
        int wordPosition = wordBits; // bits of the current word already used; full means "fetch next"
        // Stryker disable once Equality,Conditional,Bitwise : equivalent, see tests/mutation/EQUIVALENT.md (the gathered value never has bits above valueBits)
        ulong valueMask = valueBits == 32 ? 0xFFFF_FFFFUL : (1UL << valueBits) - 1;
        ulong signBit = signed && valueBits < 32 ? 1UL << (valueBits - 1) : 0;
        for (int i = 0; i < values.Length; i++)
        {
            ulong value = 0;
            int gathered = 0;
            while (gathered < valueBits)
            {
                if (wordPosition == wordBits)
                {
                    word = ReadWord(memory, (int)(wordsRead * wordBytes), wordBytes);
                    wordsRead++;
                    wordPosition = 0;
                }

                int take = Math.Min(valueBits - gathered, wordBits - wordPosition);
                // Stryker disable once Equality,Conditional : equivalent, see tests/mutation/EQUIVALENT.md (take is at most 32, and valueMask drops any extra bits)
                ulong bits = (word >> wordPosition) & (take == 64 ? ulong.MaxValue : (1UL << take) - 1);
                value |= bits << gathered;
                gathered += take;
                wordPosition += take;
            }

            // Sign extension without a data-dependent branch: flip the sign bit, then subtract it.
            value = ((value & valueMask) ^ signBit) - signBit;
            values[i] = unchecked((int)(uint)value);
        }

        return wordsRead;
    }

    /// <summary>
    /// Writes the values into <paramref name="memory"/> as a bit stream of <paramref name="valueBits"/>-bit
    /// fields, whole words at a time; unused bits of the last word are zero. Returns the number of words written.
    /// </summary>
    public static long Pack(ReadOnlySpan<int> values, int valueBits, Span<byte> memory, int wordBits)
    {
        int wordBytes = wordBits >> 3;
        long wordsWritten = 0;
        ulong word = 0;
        int wordPosition = 0;
        for (int i = 0; i < values.Length; i++)
        {
            ulong value = unchecked((uint)values[i]);
            int placed = 0;
            while (placed < valueBits)
            {
                int take = Math.Min(valueBits - placed, wordBits - wordPosition);
                ulong bits = (value >> placed) & ((1UL << take) - 1);
                word |= bits << wordPosition;
                placed += take;
                wordPosition += take;
                if (wordPosition == wordBits)
                {
                    WriteWord(memory, (int)(wordsWritten * wordBytes), wordBytes, word);
                    wordsWritten++;
                    word = 0;
                    wordPosition = 0;
                }
            }
        }

        if (wordPosition > 0)
        {
            WriteWord(memory, (int)(wordsWritten * wordBytes), wordBytes, word);
            wordsWritten++;
        }

        return wordsWritten;
    }

    private static ulong ReadWord(ReadOnlySpan<byte> memory, int offset, int wordBytes)
    {
        ulong word = 0;
        for (int b = 0; b < wordBytes; b++)
        {
            word |= (ulong)memory[offset + b] << (8 * b);
        }

        return word;
    }

    private static void WriteWord(Span<byte> memory, int offset, int wordBytes, ulong word)
    {
        for (int b = 0; b < wordBytes; b++)
        {
            memory[offset + b] = (byte)(word >> (8 * b));
        }
    }
}
