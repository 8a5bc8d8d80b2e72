using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Tests;

/// <summary>The zero-run codec: what it encodes to, that everything round-trips, and that hostile tokens are refused with a reason.</summary>
public class ZeroRunCodecTests
{
    [Fact]
    public void TokensCountZerosThenLiterals()
    {
        byte[] data = [0, 0, 7, 9, 0, .. new byte[20], 5];

        byte[] encoded = ZeroRunCodec.Encode(data);

        // 2 zeros then 7, 9; the run of 21 zeros splits into 15, then 6 before the 5.
        Assert.Equal([0x22, 7, 9, 0xF0, 0x61, 5], encoded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(4096)]
    public void EdgeShapesRoundTrip(int length)
    {
        foreach (byte[] data in new[] { new byte[length], Enumerable.Repeat((byte)0x7E, length).ToArray(), Enumerable.Range(0, length).Select(i => (byte)(i % 3 == 0 ? 0 : i)).ToArray() })
        {
            byte[] encoded = ZeroRunCodec.Encode(data);

            Assert.True(ZeroRunCodec.TryDecode(encoded, length, out byte[] decoded, out string? error), error);
            Assert.Equal(data, decoded);
            Assert.True(encoded.Length <= length + (length / ZeroRunCodec.MaxRun) + 1);
        }
    }

    [Fact]
    public void RandomSparseDataRoundTrips()
    {
        var random = new Random(3);
        for (int n = 0; n < 2000; n++)
        {
            var data = new byte[random.Next(0, 900)];
            double density = random.NextDouble();
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = random.NextDouble() < density ? (byte)random.Next(1, 256) : (byte)0;
            }

            Assert.True(ZeroRunCodec.TryDecode(ZeroRunCodec.Encode(data), data.Length, out byte[] decoded, out _));
            Assert.Equal(data, decoded);
        }
    }

    [Fact]
    public void ATokenPromisingMissingLiteralsIsRefused()
    {
        Assert.False(ZeroRunCodec.TryDecode([0x13, 1, 2], 100, out byte[] decoded, out string? error));

        Assert.Empty(decoded);
        Assert.Contains("promises 3 literal bytes, 2 follow", error);
    }

    [Fact]
    public void AnExpansionPastTheLimitIsRefusedBeforeAnythingIsAllocated()
    {
        byte[] bomb = Enumerable.Repeat((byte)0xF0, 60_000).ToArray();   // 900,000 zeros

        Assert.False(ZeroRunCodec.TryDecode(bomb, 4096, out byte[] decoded, out string? error));

        Assert.Empty(decoded);
        Assert.Contains("more than 4096 bytes", error);
        Assert.True(ZeroRunCodec.TryDecode([0xF0, 0x10], 16, out decoded, out _));
        Assert.Equal(16, decoded.Length);
        Assert.False(ZeroRunCodec.TryDecode([0xF0, 0x11, 3], 16, out _, out _));
    }

    [Fact]
    public void RandomHostileTokensEitherDecodeWithinTheLimitOrAreRefusedWithAReason()
    {
        var random = new Random(8);
        int refused = 0;
        for (int n = 0; n < 20_000; n++)
        {
            var garbage = new byte[random.Next(0, 64)];
            random.NextBytes(garbage);
            int limit = random.Next(0, 300);

            if (ZeroRunCodec.TryDecode(garbage, limit, out byte[] decoded, out string? error))
            {
                Assert.InRange(decoded.Length, 0, limit);
                Assert.Null(error);
            }
            else
            {
                refused++;
                Assert.Empty(decoded);
                Assert.StartsWith("compressed payload", error);
            }
        }

        Assert.InRange(refused, 1000, 19_999);
    }
}
