using System.Buffers.Binary;
using System.Text;

namespace CoDesign.Model.Tests.Fuzzing;

/// <summary>
/// A seeded mutator that turns valid inputs into adversarial ones: bit flips, truncations, insertions,
/// deletions, duplicated chunks, huge, negative and boundary integers, NaN and infinities in binary;
/// and for text, tokens replaced by huge numbers, huge tokens, NaN/Inf, signs and junk, lines deleted,
/// duplicated or inserted. The same seed gives the same cases.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly uint[] InterestingUInt32 =
        [0, 1, 2, 15, 16, 255, 256, 0x7FFF, 0xFFFF, 0x10000, 1 << 24, (1 << 24) + 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF];

    private static readonly string[] InterestingTokens =
    [
        "0", "1", "-1", "2", "255", "256", "-0", "+1", "1.5", "-2147483648", "2147483647", "2147483648", "4294967296",
        "16777216", "16777217", "8388609", "99999999999999999999999", "1e308", "1e309", "-1e309", "1e-400", "NaN", "nan",
        "Infinity", "-Infinity", "inf", "0x10", "1,5", "%", "%%MatrixMarket", "matrix", "coordinate", "array", "pattern",
        "symmetric", "skew-symmetric", "hermitian", "complex", "\u0661", "\0", "\u00e9", "#",
    ];

    private readonly Random _random = new(seed);

    /// <summary>A random number in [0, <paramref name="max"/>).</summary>
    public int Next(int max) => _random.Next(max);

    /// <summary><paramref name="input"/> with one to three random byte-level changes.</summary>
    public byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        int changes = 1 + _random.Next(3);
        for (int c = 0; c < changes; c++)
        {
            MutateOnce(bytes);
        }

        return [.. bytes];
    }

    /// <summary><paramref name="input"/> with one to three random token-, line- or character-level changes.</summary>
    public string Mutate(string input)
    {
        var lines = input.Split('\n').ToList();
        int changes = 1 + _random.Next(3);
        for (int c = 0; c < changes; c++)
        {
            MutateOnce(lines);
        }

        return string.Join('\n', lines);
    }

    /// <summary>A copy of <paramref name="input"/> with the little-endian 32-bit word at <paramref name="offset"/> set to a boundary value (a size field's lie).</summary>
    public byte[] WithWord(byte[] input, int offset)
    {
        byte[] copy = [.. input];
        if (offset >= 0 && offset + 4 <= copy.Length)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), InterestingUInt32[_random.Next(InterestingUInt32.Length)]);
        }

        return copy;
    }

    private void MutateOnce(List<byte> bytes)
    {
        int at = bytes.Count == 0 ? 0 : _random.Next(bytes.Count);
        switch (_random.Next(9))
        {
            case 0 when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[at] = (byte)_random.Next(256);
                break;
            case 2:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 3:
                bytes.InsertRange(at, RandomBytes(1 + _random.Next(16)));
                break;
            case 4 when bytes.Count > 0:
                bytes.RemoveRange(at, Math.Min(1 + _random.Next(16), bytes.Count - at));
                break;
            case 5 when bytes.Count > 0:
                bytes.InsertRange(at, bytes.GetRange(at, Math.Min(1 + _random.Next(64), bytes.Count - at)));
                break;
            case 6:
                Overwrite(bytes, at, Word(InterestingUInt32[_random.Next(InterestingUInt32.Length)], bigEndian: _random.Next(2) == 0));
                break;
            case 7:
                var half = new byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(half, (ushort)InterestingUInt32[_random.Next(InterestingUInt32.Length)]);
                Overwrite(bytes, at, half);
                break;
            default:
                float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.Epsilon, -0f];
                var single = new byte[4];
                BinaryPrimitives.WriteSingleLittleEndian(single, special[_random.Next(special.Length)]);
                Overwrite(bytes, at, single);
                break;
        }
    }

    private void MutateOnce(List<string> lines)
    {
        int at = _random.Next(lines.Count);
        switch (_random.Next(10))
        {
            case 0 or 1 or 2:
                lines[at] = ReplaceToken(lines[at], InterestingTokens[_random.Next(InterestingTokens.Length)]);
                break;
            case 3:
                lines[at] = ReplaceToken(lines[at], HugeToken());
                break;
            case 4 when lines.Count > 1:
                lines.RemoveAt(at);
                break;
            case 5:
                lines.Insert(at, lines[_random.Next(lines.Count)]);
                break;
            case 6:
                string[] inserted = ["", "%", "% comment", "# comment", "1 1 1", "3", "   ", "\r", string.Join(' ', Enumerable.Repeat("7", 1 + _random.Next(50)))];
                lines.Insert(at, inserted[_random.Next(inserted.Length)]);
                break;
            case 7:
                lines[at] = lines[at][.._random.Next(lines[at].Length + 1)];
                lines.RemoveRange(at + 1, lines.Count - at - 1);
                break;
            case 8:
                int position = _random.Next(lines[at].Length + 1);
                lines[at] = lines[at].Insert(position, ((char)_random.Next(1, 128)).ToString());
                break;
            default:
                lines[at] = lines[at] + " " + InterestingTokens[_random.Next(InterestingTokens.Length)];
                break;
        }
    }

    private string ReplaceToken(string line, string replacement)
    {
        string[] tokens = line.Split(' ');
        tokens[_random.Next(tokens.Length)] = replacement;
        return string.Join(' ', tokens);
    }

    private string HugeToken()
    {
        int length = 100 + _random.Next(5000);
        char fill = "9xe-.0"[_random.Next(6)];
        return new StringBuilder(length).Append('1').Append(fill, length - 1).ToString();
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Word(uint value, bool bigEndian)
    {
        var word = new byte[4];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(word, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(word, value);
        }

        return word;
    }

    private static void Overwrite(List<byte> bytes, int at, byte[] value)
    {
        for (int i = 0; i < value.Length && at + i < bytes.Count; i++)
        {
            bytes[at + i] = value[i];
        }
    }
}
