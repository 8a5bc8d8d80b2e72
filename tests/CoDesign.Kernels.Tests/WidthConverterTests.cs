namespace CoDesign.Kernels.Tests;

/// <summary>
/// Bit-width conversion between memory words and values: round trips for every word width x value width x
/// signedness, exact words-touched counts, straddling values, truncation and sign extension, and Unpack
/// against an independent reader that takes the bit stream one bit at a time.
/// </summary>
public sealed class WidthConverterTests
{
    public static TheoryData<int, int, bool> AllWidths()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (int wordBits in new[] { 8, 16, 32, 64 })
        {
            for (int valueBits = 1; valueBits <= 32; valueBits++)
            {
                data.Add(wordBits, valueBits, false);
                data.Add(wordBits, valueBits, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllWidths))]
    public void PackThenUnpackRoundTripsAndTouchesExactlyTheNeededWords(int wordBits, int valueBits, bool signed)
    {
        var random = new Random((wordBits * 100) + (valueBits * 2) + (signed ? 1 : 0));
        int wordBytes = wordBits / 8;
        foreach (int count in new[] { 0, 1, 2, 3, 7, 8, 9, 63, 64, 65, random.Next(100, 400) })
        {
            int[] values = RandomValues(random, count, valueBits, signed);
            long words = WidthConverter.WordCount(count, valueBits, wordBits);
            Assert.Equal(((long)count * valueBits + wordBits - 1) / wordBits, words);
            Assert.Equal(words * wordBytes, WidthConverter.ByteCount(count, valueBits, wordBits));

            // Memory one word larger than needed, filled with a pattern, to catch writes past the end.
            var memory = new byte[(words + 1) * wordBytes];
            memory.AsSpan().Fill(0xA5);
            Assert.Equal(words, WidthConverter.Pack(values, valueBits, memory, wordBits));
            Assert.All(memory[(int)(words * wordBytes)..], b => Assert.Equal(0xA5, b));

            // The packed bits are exactly the reference stream, and the unused tail of the last word is zero.
            byte[] expected = ReferencePack(values, valueBits, (int)(words * wordBytes));
            Assert.Equal(expected, memory[..(int)(words * wordBytes)]);

            var unpacked = new int[count];
            Assert.Equal(words, WidthConverter.Unpack(memory, wordBits, valueBits, signed, unpacked));
            Assert.Equal(values, unpacked);
        }
    }

    [Fact]
    public void UnpackNibblesIsUnpackOfUnsignedNibblesFromWords()
    {
        var random = new Random(17);
        foreach (int count in new[] { 0, 1, 2, 9, 64, 301 })
        {
            var memory = new byte[WidthConverter.ByteCount(count, 4, 32)];
            random.NextBytes(memory);
            var expected = new int[count];
            var actual = new int[count];
            Assert.Equal(WidthConverter.Unpack(memory, 32, 4, false, expected), WidthConverter.UnpackNibbles(memory, actual));
            Assert.Equal(expected, actual);
            Assert.All(actual, v => Assert.InRange(v, 0, 15));
        }
    }

    [Theory]
    [MemberData(nameof(AllWidths))]
    public void UnpackOfArbitraryMemoryMatchesABitByBitReader(int wordBits, int valueBits, bool signed)
    {
        var random = new Random((wordBits * 1000) + (valueBits * 2) + (signed ? 1 : 0));
        int count = random.Next(1, 200);
        var memory = new byte[WidthConverter.ByteCount(count, valueBits, wordBits)];
        random.NextBytes(memory);
        var values = new int[count];
        Assert.Equal(WidthConverter.WordCount(count, valueBits, wordBits), WidthConverter.Unpack(memory, wordBits, valueBits, signed, values));
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(ReferenceRead(memory, (long)i * valueBits, valueBits, signed), values[i]);
        }
    }

    [Theory]
    [MemberData(nameof(AllWidths))]
    public void PackKeepsTheLowBitsOfOutOfRangeValues(int wordBits, int valueBits, bool signed)
    {
        var random = new Random((wordBits * 7) + valueBits + (signed ? 5000 : 0));
        var values = new int[50];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(int.MinValue, int.MaxValue);
        }

        values[0] = int.MinValue;
        values[1] = -1;
        var memory = new byte[WidthConverter.ByteCount(values.Length, valueBits, wordBits)];
        WidthConverter.Pack(values, valueBits, memory, wordBits);
        var unpacked = new int[values.Length];
        WidthConverter.Unpack(memory, wordBits, valueBits, signed, unpacked);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(Truncate(values[i], valueBits, signed), unpacked[i]);
        }
    }

    [Fact]
    public void StraddlingFiveBitValuesInBytes()
    {
        // Stream: v0 = 00001 at bits 0..4, v1 = 00010 at 5..9 (straddles), v2 = 00011 at 10..14.
        // Byte 0 = v0 | (v1 & 7) << 5 = 0x41; byte 1 = v1 >> 3 | v2 << 2 = 0x0C.
        foreach (int wordBits in new[] { 8, 16 })
        {
            var memory = new byte[WidthConverter.ByteCount(3, 5, wordBits)];
            Assert.Equal(wordBits == 8 ? 2 : 1, WidthConverter.Pack([1, 2, 3], 5, memory, wordBits));
            Assert.Equal((byte[])[0x41, 0x0C], memory);
            var values = new int[3];
            Assert.Equal(wordBits == 8 ? 2 : 1, WidthConverter.Unpack(memory, wordBits, 5, false, values));
            Assert.Equal([1, 2, 3], values);
        }
    }

    [Fact]
    public void WordsAreLittleEndian()
    {
        // One 16-bit value in 32-bit words lands in the low half of the word, low byte first.
        var memory = new byte[4];
        WidthConverter.Pack([0x1234], 16, memory, 32);
        Assert.Equal((byte[])[0x34, 0x12, 0x00, 0x00], memory);

        // Twelve-bit values 0xABC, 0xDEF pack into 24 bits: 0xDEFABC.
        memory = new byte[8];
        WidthConverter.Pack([0xABC, 0xDEF], 12, memory, 64);
        Assert.Equal((byte[])[0xBC, 0xFA, 0xDE, 0, 0, 0, 0, 0], memory);
    }

    [Theory]
    [InlineData(3, 3, 8, 2)]
    [InlineData(8, 4, 32, 1)]
    [InlineData(9, 4, 32, 2)]
    [InlineData(0, 7, 64, 0)]
    [InlineData(16, 4, 64, 1)]
    [InlineData(17, 4, 64, 2)]
    [InlineData(2, 32, 64, 1)]
    [InlineData(3, 32, 8, 12)]
    [InlineData(1, 1, 64, 1)]
    public void HandCountedWords(int count, int valueBits, int wordBits, int words)
    {
        Assert.Equal(words, WidthConverter.WordCount(count, valueBits, wordBits));
        Assert.Equal(words * (wordBits / 8), WidthConverter.ByteCount(count, valueBits, wordBits));
        var memory = new byte[words * (wordBits / 8)];
        Assert.Equal(words, WidthConverter.Pack(new int[count], valueBits, memory, wordBits));
        Assert.Equal(words, WidthConverter.Unpack(memory, wordBits, valueBits, true, new int[count]));
    }

    [Fact]
    public void SignExtensionAndZeroExtension()
    {
        byte[] memory = [0xF8, 0x7F]; // 4-bit fields: 8, F, F, 7
        var signedValues = new int[4];
        WidthConverter.Unpack(memory, 8, 4, true, signedValues);
        Assert.Equal([-8, -1, -1, 7], signedValues);
        var unsignedValues = new int[4];
        WidthConverter.Unpack(memory, 8, 4, false, unsignedValues);
        Assert.Equal([8, 15, 15, 7], unsignedValues);

        // One-bit signed fields are 0 or -1.
        var bits = new int[8];
        WidthConverter.Unpack([0b1010_0001], 8, 1, true, bits);
        Assert.Equal([-1, 0, 0, 0, 0, -1, 0, -1], bits);

        // A 32-bit unsigned value keeps its bit pattern in the int.
        var wide = new int[1];
        WidthConverter.Unpack([0xFF, 0xFF, 0xFF, 0xFF], 32, 32, false, wide);
        Assert.Equal(-1, wide[0]);
        WidthConverter.Unpack([0xFF, 0xFF, 0xFF, 0x7F], 8, 32, true, wide);
        Assert.Equal(int.MaxValue, wide[0]);
    }

    [Fact]
    public void SupportedWidths()
    {
        Assert.Equal([8, 16, 32, 64], Enumerable.Range(0, 129).Where(WidthConverter.IsWordWidth));
        Assert.Equal(Enumerable.Range(1, 32), Enumerable.Range(-5, 50).Where(WidthConverter.IsValueWidth));
    }

    private static int[] RandomValues(Random random, int count, int valueBits, bool signed)
    {
        long min = signed ? -(1L << (valueBits - 1)) : 0;
        long max = signed ? (1L << (valueBits - 1)) - 1 : (1L << valueBits) - 1;
        var values = new int[count];
        for (int i = 0; i < count; i++)
        {
            // Edge values first, then random ones.
            long v = i switch
            {
                0 => min,
                1 => max,
                _ => random.NextInt64(min, max + 1),
            };

            // A 32-bit unsigned value is carried in an int with the same bit pattern.
            values[i] = unchecked((int)(uint)v);
        }

        return values;
    }

    /// <summary>The low <paramref name="valueBits"/> bits of <paramref name="value"/>, sign- or zero-extended.</summary>
    private static int Truncate(int value, int valueBits, bool signed)
    {
        long low = value & ((1L << valueBits) - 1);
        if (signed && low >= 1L << (valueBits - 1))
        {
            low -= 1L << valueBits;
        }

        return unchecked((int)low);
    }

    /// <summary>Bit <c>k</c> of the stream is bit <c>k mod 8</c> of byte <c>k / 8</c>, whatever the word width.</summary>
    private static int ReferenceRead(byte[] memory, long firstBit, int valueBits, bool signed)
    {
        long value = 0;
        for (int b = 0; b < valueBits; b++)
        {
            long k = firstBit + b;
            value |= (long)((memory[k / 8] >> (int)(k % 8)) & 1) << b;
        }

        if (signed && (value >> (valueBits - 1)) != 0)
        {
            value -= 1L << valueBits;
        }

        return unchecked((int)value);
    }

    private static byte[] ReferencePack(int[] values, int valueBits, int byteCount)
    {
        var memory = new byte[byteCount];
        for (int i = 0; i < values.Length; i++)
        {
            for (int b = 0; b < valueBits; b++)
            {
                long k = ((long)i * valueBits) + b;
                if (((values[i] >> b) & 1) != 0)
                {
                    memory[k / 8] |= (byte)(1 << (int)(k % 8));
                }
            }
        }

        return memory;
    }
}
