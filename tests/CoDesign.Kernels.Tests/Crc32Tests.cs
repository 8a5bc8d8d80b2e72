using System.Text;

namespace CoDesign.Kernels.Tests;

/// <summary>CRC-32 (IEEE): published check values, incremental use, and a table-driven second implementation.</summary>
public sealed class Crc32Tests
{
    [Theory]
    [InlineData("123456789", 0xCBF43926u)] // the catalogue check value of CRC-32/ISO-HDLC
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void KnownCheckValues(string text, uint expected)
    {
        Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void IncrementalUpdatesEqualOneShot()
    {
        var random = new Random(8);
        var data = new byte[1000];
        random.NextBytes(data);
        for (int trial = 0; trial < 50; trial++)
        {
            int split1 = random.Next(0, data.Length);
            int split2 = random.Next(split1, data.Length);
            uint crc = Crc32.Update(Crc32.Initial, data.AsSpan(0, split1));
            crc = Crc32.Update(crc, data.AsSpan(split1, split2 - split1));
            crc = Crc32.Update(crc, data.AsSpan(split2));
            Assert.Equal(Crc32.Compute(data), Crc32.Finish(crc));
        }
    }

    [Fact]
    public void MatchesATableDrivenImplementation()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        var random = new Random(12);
        for (int length = 0; length < 300; length += 7)
        {
            var data = new byte[length];
            random.NextBytes(data);
            uint crc = 0xFFFFFFFFu;
            foreach (byte b in data)
            {
                crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            Assert.Equal(~crc, Crc32.Compute(data));
        }
    }

    [Fact]
    public void DetectsEverySingleBitFlip()
    {
        byte[] data = Encoding.ASCII.GetBytes("sparse accelerator frame");
        uint good = Crc32.Compute(data);
        for (int bit = 0; bit < data.Length * 8; bit++)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(good, Crc32.Compute(data));
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }
}
