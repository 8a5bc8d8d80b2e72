using System.Numerics;

namespace CoDesign.Conformance;

/// <summary>Small versions of real kernels that combine the families: CRC, CSD recoding, width unpacking, sparse MAC.</summary>
public static class Mixes
{
    /// <summary>CRC-8 (polynomial 0x07), bit-serial.</summary>
    public static byte Crc8(ReadOnlySpan<byte> data)
    {
        byte crc = 0;
        for (int i = 0; i < data.Length; i++)
        {
            crc ^= data[i];
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80) != 0 ? (byte)((crc << 1) ^ 0x07) : (byte)(crc << 1);
            }
        }

        return crc;
    }

    /// <summary>CRC-32 update, reflected, with the mask trick of kernels/Crc32.cs.</summary>
    public static uint Crc32Update(uint crc, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            crc ^= data[i];
            for (int bit = 0; bit < 8; bit++)
            {
                uint mask = 0u - (crc & 1u);
                crc = (crc >> 1) ^ (0xEDB8_8320u & mask);
            }
        }

        return ~crc;
    }

    /// <summary>Canonical signed digit recoding into plus and minus masks.</summary>
    public static int CsdRecode(int constant, out uint plus, out uint minus)
    {
        Recode(constant, out plus, out minus);
        return BitOperations.PopCount(plus | minus);
    }

    /// <summary>Shift-and-add multiply by a recoded constant, with the step count.</summary>
    public static int CsdMultiply(int x, int constant, out int steps)
    {
        Recode(constant, out uint plus, out uint minus);
        int product = 0;
        steps = 0;
        uint digits = plus | minus;
        for (int position = 0; position < 32 && (digits >> position) != 0; position++)
        {
            uint bit = 1u << position;
            if ((plus & bit) != 0)
            {
                product += x << position;
                steps++;
            }
            else if ((minus & bit) != 0)
            {
                product -= x << position;
                steps++;
            }
        }

        return product;
    }

    /// <summary>Unpacks little-endian bit fields of 1 to 16 bits from bytes, sign-extending when asked.</summary>
    public static int Unpack(ReadOnlySpan<byte> memory, int valueBits, bool signed, Span<int> values)
    {
        int bits = (valueBits & 15) + 1;
        int count = Math.Min(values.Length, memory.Length * 8 / bits);
        int position = 0;
        for (int i = 0; i < count; i++)
        {
            uint value = 0;
            for (int b = 0; b < bits; b++)
            {
                int at = position + b;
                value |= (uint)((memory[at >> 3] >> (at & 7)) & 1) << b;
            }

            position += bits;
            uint sign = signed ? 1u << (bits - 1) : 0;
            values[i] = (int)((value ^ sign) - sign);
        }

        return count;
    }

    /// <summary>Sparse multiply-accumulate: values at column indexes of a dense vector.</summary>
    public static long SparseMac(ReadOnlySpan<int> values, ReadOnlySpan<byte> columns, ReadOnlySpan<short> x)
    {
        long sum = 0;
        int n = Math.Min(values.Length, columns.Length);
        for (int i = 0; i < n; i++)
        {
            int column = columns[i];
            if (column < x.Length)
            {
                sum += (long)values[i] * x[column];
            }
        }

        return sum;
    }

    /// <summary>Requantizes accumulators to sbyte: rounding shift, then saturation.</summary>
    public static void Requantize(ReadOnlySpan<int> accumulators, Span<sbyte> output, int shift)
    {
        int s = shift & 15;
        int n = Math.Min(accumulators.Length, output.Length);
        for (int i = 0; i < n; i++)
        {
            long rounded = s == 0 ? accumulators[i] : ((long)accumulators[i] + (1L << (s - 1))) >> s;
            output[i] = (sbyte)Math.Max(-128L, Math.Min(rounded, 127L));
        }
    }

    /// <summary>Fletcher-16 checksum (two sums modulo 255).</summary>
    public static ushort Fletcher16(ReadOnlySpan<byte> data)
    {
        int sum1 = 0;
        int sum2 = 0;
        for (int i = 0; i < data.Length; i++)
        {
            sum1 = (sum1 + data[i]) % 255;
            sum2 = (sum2 + sum1) % 255;
        }

        return (ushort)((sum2 << 8) | sum1);
    }

    /// <summary>Run-length encoding of bytes into (value, count) pairs, stopping when the output is full.</summary>
    public static int RunLength(ReadOnlySpan<byte> data, Span<ushort> output)
    {
        int written = 0;
        int i = 0;
        while (i < data.Length && written + 1 < output.Length)
        {
            byte value = data[i];
            int run = 1;
            while (i + run < data.Length && data[i + run] == value)
            {
                run++;
            }

            output[written] = value;
            output[written + 1] = (ushort)run;
            written += 2;
            i += run;
        }

        return written;
    }

    private static void Recode(int constant, out uint plus, out uint minus)
    {
        plus = 0;
        minus = 0;
        long c = constant;
        for (int position = 0; c != 0 && position < 32; position++)
        {
            if ((c & 1) != 0)
            {
                if ((c & 3) == 1)
                {
                    plus |= 1u << position;
                    c -= 1;
                }
                else
                {
                    minus |= 1u << position;
                    c += 1;
                }
            }

            c >>= 1;
        }
    }
}
