namespace CoDesign.KernelSubset.Tests;

/// <summary>What the subset supports passes without a diagnostic, family by family.</summary>
public class AcceptanceTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "integer types and casts", """
            public static long F(sbyte a, byte b, short c, ushort d, char e, int f, uint g, long h, ulong i, bool j)
            {
                ulong sum = unchecked((ulong)a + b + (ulong)c + d + e + (ulong)f + g + (ulong)h + i);
                return j ? (long)sum : (int)(uint)(byte)sum;
            }
            """ },
        { "integer operators", """
            public static int F(int a, int b, uint u)
            {
                int r = (a * b) / (b | 1) % 7;
                r = (r << b) ^ (r >> (a & 31)) ^ ~r ^ -r;
                u >>>= b;
                r += a; r -= b; r *= 3; r /= 2; r %= 5; r &= 0xFF; r |= 1; r ^= 2; r <<= 1; r >>= 1;
                r++; --r;
                return r + (int)u + (a < b ? 1 : 0) + (a == b || !(a != b) && a >= b ? 1 : 0);
            }
            """ },
        { "control flow", """
            public static int F(int n)
            {
                int t = 0;
                for (int i = 0, j = n; i < n; i++, j--)
                {
                    if (i == 3) { continue; } else if (j == 2) { break; }
                    t += i;
                }

                while (t > 100) { t -= 7; }
                do { t++; } while (t % 2 != 0);
                if (t == 0) { return -1; }
                return t > 50 ? t : -t;
            }
            """ },
        { "patterns on integers", """
            public static bool F(int x, byte b) => x is 8 or 16 || x is >= 1 and <= 32 || b is not 0 || x is not (> 3 and < 9);
            """ },
        { "spans", """
            public static int F(ReadOnlySpan<int> a, Span<int> b)
            {
                Span<int> tmp = stackalloc int[K2.Size * 2];
                Span<byte> bytes = stackalloc byte[] { 1, 2, 3 };
                tmp.Clear();
                Span<int> head = b.Slice(1);
                ReadOnlySpan<int> part = a.Slice(1, 2);
                ReadOnlySpan<int> view = b;
                tmp[0] = part[0] + view[1] + head.Length + bytes[2];
                G(b, []);
                return tmp[0] + a.Length;
            }

            static void G(ReadOnlySpan<int> x, Span<int> y) { if (y.Length > 0) { y[0] = x[0]; } }
            """ },
        { "intrinsics", """
            public static int F(int a, long b, uint c, ulong d) =>
                Math.Min(a, 3) + (int)Math.Max(b, 4L) + System.Numerics.BitOperations.PopCount(c) + System.Numerics.BitOperations.PopCount(d);
            """ },
        { "constants, default, nameof and sizeof", """
            public const int Width = 8;
            public static int F()
            {
                const int local = Width + K2.Size;
                int zero = default;
                long none = default(long);
                _ = nameof(F);
                return local + zero + (int)none + sizeof(long) + int.MaxValue;
            }
            """ },
        { "out parameters and static calls", """
            public static int F(int x)
            {
                G(x, out int a, out var b);
                return a + (int)b + K2.Twice(x);
            }

            static void G(int x, out int a, out long b) { a = x; b = x; }
            """ },
        { "static extension methods of source", """
            public static int F(ReadOnlySpan<int> a) => a.First() + 1;

            static int First(this ReadOnlySpan<int> s) => s.Length > 0 ? s[0] : 0;
            """ },
        { "range contracts at the start of the method", """
            public static int F(int x, uint u, long l)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(x);
                System.ArgumentOutOfRangeException.ThrowIfGreaterThan(x, 31);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(u, 256u);
                ArgumentOutOfRangeException.ThrowIfLessThan(l, -5);
                ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(l, -6);
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(l);
                return x + (int)u + (int)l;
            }
            """ },
        { "unchecked", """
            public static int F(int x)
            {
                unchecked { x *= 31; }
                return unchecked(x + int.MaxValue);
            }
            """ },
        { "expression bodies and discards", """
            public static void F(Span<int> s) => _ = K2.Twice(s.Length);
            """ },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_supported_construct_passes(string family, string members)
    {
        _ = family;
        Snippet snippet = Snippet.Of(("k.cs", $"static class K\n{{\n{members}\n}}\n"), ("k2.cs", "static class K2\n{\n    public const int Size = 4;\n    public static int Twice(int x) => x * 2;\n}\n"));
        Assert.Empty(snippet.Check("K.F"));
    }
}
