using System.Globalization;
using System.Numerics;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>
/// hardware/rtl/image_field_check.v, the checks both engines make on a model image's header and
/// layer instructions as they read them: at and around every limit (sizes of 2^ACT_BITS and
/// 2^ACC_BITS, shift 31, PE counts 0, 16 and 17, pointer widths), and at random, its verdicts equal
/// the image format's rules (DeviceImage: what the emulator refuses at commit, and what a build's
/// buffers hold); with column blocks, a block's rules too (opcode 2, its flags, a chained block's
/// empty input and own columns, its sums past the accumulators).
/// </summary>
public class ImageFieldCheckRtlTests
{
    private const int ActBits = 10;
    private const int AccBits = 9;

    [Theory]
    [InlineData(0, false)]   // the sequential engine: any PE count from 1 to 16
    [InlineData(4, false)]   // the PE array: exactly its PEs
    [InlineData(0, true)]    // either, running column blocks
    [InlineData(4, true)]
    public void VerdictsEqualTheFormatRules(int pes, bool blocks)
    {
        var random = new Random(11 + pes + (blocks ? 100 : 0));
        var cases = new List<Case>();
        uint[] sizes = [0, 1, 2, 255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 2048, 0x1_0000, 0x8000_0000, uint.MaxValue];
        foreach (uint size in sizes)
        {
            cases.Add(new Case(size, 1, 0, false, false, 0));          // a header's input size
            cases.Add(new Case(size, 0, 0, false, false, 0));          // ... with no layers
            foreach (bool final in new[] { false, true })
            {
                foreach (bool raw in new[] { false, true })
                {
                    cases.Add(new Case(size, 3, 2, final, raw, 0));    // rows
                }
            }

            cases.Add(new Case(size, 3, 3, false, false, (int)Math.Min(size, 1024)));   // cols equal to the width
            cases.Add(new Case(size, 3, 3, false, false, 100));
        }

        foreach (int opcode in new[] { 0, 1, 2, 255 })
        {
            foreach (int shift in new[] { 0, 31, 32, 255 })
            {
                foreach (int bits in new[] { 0, 8, 16, 24, 32, 64 })
                {
                    foreach (int kind in new[] { 0, 1, 7 })
                    {
                        cases.Add(new Case((uint)(opcode | (kind << 8) | (shift << 16) | (bits << 24)), 2, 0, false, false, 0));
                    }
                }
            }
        }

        foreach (uint peCount in new uint[] { 0, 1, 2, 3, 4, 5, 15, 16, 17, 0xFFFF, 0x1_0004 })
        {
            cases.Add(new Case(peCount, 2, 1, false, false, 0));
        }

        // A block's flags byte (bits 16 .. 23 of field 1) for a block and a whole layer, its rows' sums
        // fitting or not, and a chained block's columns with no input.
        foreach (bool isBlock in new[] { false, true })
        {
            foreach (uint flags in new uint[] { 0, 1, 2, 4, 8, 15, 16, 0x80 })
            {
                cases.Add(new Case(4 | (flags << 16), 2, 1, false, false, 0, isBlock));
            }

            foreach (bool past in new[] { false, true })
            {
                cases.Add(new Case(64, 3, 2, false, false, 0, isBlock, SumsPast: past));
            }

            foreach (bool chained in new[] { false, true })
            {
                foreach (int width in new[] { 0, 5, 100 })
                {
                    foreach (uint cols in new uint[] { 0, 5, 100 })
                    {
                        cases.Add(new Case(cols, 3, 3, false, false, width, isBlock, chained));
                    }
                }
            }
        }

        for (int i = 0; i < 400; i++)
        {
            uint value = random.Next(3) == 0 ? (uint)random.Next(2048) : (uint)random.NextInt64(0, 1L << 32);
            cases.Add(new Case(value, (ushort)random.Next(3), random.Next(8), random.Next(2) == 0, random.Next(2) == 0, random.Next(1025),
                random.Next(2) == 0, random.Next(2) == 0, random.Next(2) == 0));
        }

        using var folder = new BenchFolder("fieldcheck");
        // 76-bit vectors (a leading 0 digit, which BigInteger adds to a value with its top bit set, is harmless).
        File.WriteAllLines(Path.Combine(folder.Path, "ifc_vectors.hex"), cases.Select(c => c.Vector.ToString("x19", CultureInfo.InvariantCulture)));
        List<string> lines = ComputeBench.Run("image_field_check_tb", ["image_field_check.v"], folder, new Dictionary<string, string>
        {
            ["COUNT"] = ComputeBench.Text(cases.Count),
            ["ACT_BITS"] = ComputeBench.Text(ActBits),
            ["ACC_BITS"] = ComputeBench.Text(AccBits),
            ["PES"] = ComputeBench.Text(pes),
            ["COLUMN_BLOCKS"] = ComputeBench.Text(blocks ? 1 : 0),
        });

        List<string[]> verdicts = ComputeBench.Only(lines, "V").Select(l => l.Split(' ')).ToList();
        Assert.Equal(cases.Count, verdicts.Count);
        for (int i = 0; i < cases.Count; i++)
        {
            Case c = cases[i];
            Assert.True(HeaderBad(c, blocks) == (verdicts[i][2] == "1"), $"header verdict for {c}");
            Assert.True(LayerBad(c, pes, blocks) == (verdicts[i][3] == "1"), $"instruction verdict for {c}");
        }
    }

    /// <summary>One input of the checker: a field's value and what the engine knows when it reads it.</summary>
    private sealed record Case(uint Value, ushort LayerCount, int Field, bool FinalLayer, bool RawOutput, int Width,
        bool IsBlock = false, bool ChainIn = false, bool SumsPast = false)
    {
        public BigInteger Vector =>
            ((BigInteger)Value << 44) | ((BigInteger)LayerCount << 28) | ((BigInteger)Field << 24)
            | ((BigInteger)((FinalLayer ? 1 : 0) | (IsBlock ? 2 : 0) | (ChainIn ? 4 : 0) | (SumsPast ? 8 : 0)) << 20)
            | ((BigInteger)(RawOutput ? 1 : 0) << 16) | Width;

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture, $"value 0x{Value:x8}, {LayerCount} layers, field {Field}, final {FinalLayer}, raw {RawOutput}, width {Width}, " +
            $"block {IsBlock}, chained {ChainIn}, sums past {SumsPast}");
    }

    /// <summary>
    /// The input size must be 1 .. 2^ACT_BITS (the activation buffer), or 0 for a chained block's, and the image must have a layer.
    /// </summary>
    private static bool HeaderBad(Case c, bool blocks) => (c.Value == 0 && !blocks) || c.Value > (1u << ActBits) || c.LayerCount == 0;

    /// <summary>The instruction's rules, field by field (LayerInstruction's layout, BlockFlags in field 1's third byte).</summary>
    private static bool LayerBad(Case c, int pes, bool blocks) => c.Field switch
    {
        0 => ((c.Value & 0xFF) is not 1 && !(blocks && (c.Value & 0xFF) == 2)) || ((c.Value >> 16) & 0xFF) > 31 || (c.Value >> 24) is not (16 or 32),
        1 => (c.Value & 0xFFFF) is 0 or > 16 || (pes != 0 && (c.Value & 0xFFFF) != pes)
             || (blocks && (c.IsBlock == (((c.Value >> 16) & 0xFF) == 0) || ((c.Value >> 20) & 0xF) != 0)),
        2 => c.Value == 0 || c.Value > (1u << AccBits) || c.Value > (1u << ActBits) || (!c.FinalLayer && c.RawOutput) || (blocks && c.IsBlock && c.SumsPast),
        3 => (c.Value != (uint)c.Width && !(blocks && c.ChainIn && c.Width == 0)) || (blocks && c.Value == 0),
        _ => false,
    };
}
