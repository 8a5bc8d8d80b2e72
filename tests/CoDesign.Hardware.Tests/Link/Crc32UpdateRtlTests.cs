using System.Globalization;
using System.Text;
using CoDesign.Kernels;

namespace CoDesign.Hardware.Tests.Link;

/// <summary>hardware/rtl/generated/crc32_update_byte.v (compiled from Crc32.UpdateByte), one byte per step, computes what the C# Crc32 computes.</summary>
public class Crc32UpdateRtlTests
{
    [Fact]
    public void RandomStringsGiveTheSameCrcAsCrc32Compute()
    {
        var random = new Random(7);
        List<byte[]> strings =
        [
            [],
            Encoding.ASCII.GetBytes("123456789"),
            [0x7E, 0x7D, 0x00, 0xFF],
            Enumerable.Repeat((byte)0xFF, 64).ToArray(),
            new byte[64],
        ];
        for (int i = 0; i < 60; i++)
        {
            var data = new byte[random.Next(i < 50 ? 40 : 1100)];
            random.NextBytes(data);
            strings.Add(data);
        }

        var words = new List<uint> { (uint)strings.Count };
        foreach (byte[] data in strings)
        {
            words.Add((uint)data.Length);
            words.AddRange(data.Select(b => (uint)b));
        }

        using var folder = new BenchFolder("crc32");
        LinkBench.WriteHex(folder, "crc_vectors.hex", words);
        List<string> lines = LinkBench.Run("crc32_update_byte_tb", ["crc32_update_byte.v"], folder, new Dictionary<string, string>
        {
            ["WORDS"] = words.Count.ToString(CultureInfo.InvariantCulture),
        });

        List<string> expected = strings.Select((data, i) => $"CRC {i} {data.Length} {Crc32.Compute(data):x8}").ToList();
        Assert.Equal(expected, LinkBench.Only(lines, "CRC"));
        Assert.Contains("CRC 1 9 cbf43926", lines); // the catalogue check value of CRC-32
    }
}
