using System.Numerics;

namespace CoDesign.Kernels;

/// <summary>
/// Bit-width conversion between memory words and compute values: the gearbox on the parameter,
/// vector and result access paths of seed 002. Memory holds a little-endian bit stream: value
/// <c>i</c> occupies stream bits <c>[i*valueBits, (i+1)*valueBits)</c>, and a value may straddle two
/// words. Memory is organised in words of 8, 16, 32 or 64 bits (little-endian bytes), as the access
/// path's bus moves it; the methods return how many words they touched.
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
    /// <remarks>
    /// A gearbox, as the hardware's: words are little-endian, so the stream's bits are the memory's
    /// bytes in order whatever the word width, and a buffer takes the next bytes while it holds fewer
    /// bits than a value, then gives the value from its bottom. It never holds more than 39 bits
    /// (fewer than 32, plus a byte), so one 64-bit register serves every width and no value needs
    /// a word boundary of its own. When a value needs bytes, a <c>do</c>/<c>while</c> reads them, and for a
    /// value of up to 8 bits its test is false after the first: with the widths fixed (<see cref="UnpackNibbles"/>)
    /// the compiler proves that, drops the loop, and pipelines one value per cycle. Only the bytes the
    /// values cover are read; the count returned is of the words those bytes lie in, the words a bus
    /// would have fetched.
    /// </remarks>
    public static long Unpack(ReadOnlySpan<byte> memory, int wordBits, int valueBits, bool signed, Span<int> values)
    {
        int wordBytes = wordBits >> 3;
        int wordShift = BitOperations.PopCount((uint)(wordBytes - 1));   // word widths are powers of two
        ulong valueMask = valueBits == 32 ? 0xFFFF_FFFFUL : (1UL << valueBits) - 1;
        ulong signBit = signed && valueBits < 32 ? 1UL << (valueBits - 1) : 0;
        ulong held = 0;        // stream bits read and not yet given, oldest at bit 0; zero above heldBits
        int heldBits = 0;
        int next = 0;          // the next byte to read
        for (int i = 0; i < values.Length; i++)
        {
            if (heldBits < valueBits)
            {
                do
                {
                    held |= (ulong)memory[next] << heldBits;
                    next++;
                    heldBits += 8;
                }
                while (heldBits < valueBits);
            }

            // Sign extension without a data-dependent branch: flip the sign bit, then subtract it.
            ulong value = ((held & valueMask) ^ signBit) - signBit;
            values[i] = unchecked((int)(uint)value);
            held >>= valueBits;
            heldBits -= valueBits;
        }

        // The words the bytes lie in, rounded up.
        return (next + wordBytes - 1) >> wordShift;
    }

    /// <summary>
    /// <see cref="Unpack"/> for 32-bit words of unsigned 4-bit values: one fixed instance of the
    /// gearbox, as hardware builds one per width (width_unpacker.v's default parameters). Compiled, the
    /// call is inlined and its constant widths fold through the gearbox.
    /// </summary>
    public static long UnpackNibbles(ReadOnlySpan<byte> memory, Span<int> values) => Unpack(memory, 32, 4, false, values);

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

    private static void WriteWord(Span<byte> memory, int offset, int wordBytes, ulong word)
    {
        for (int b = 0; b < wordBytes; b++)
        {
            memory[offset + b] = (byte)(word >> (8 * b));
        }
    }
}
