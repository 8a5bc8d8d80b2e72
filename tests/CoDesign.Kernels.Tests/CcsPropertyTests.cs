using FsCheck;
using FsCheck.Fluent;

namespace CoDesign.Kernels.Tests;

/// <summary>Property tests of the CCS codec over generated matrices.</summary>
public sealed class CcsPropertyTests
{
    [Fact]
    public void PropertyHarnessReportsAFailingProperty()
    {
        // Guards the other property tests: a false property must fail the test, not pass silently.
        Property alwaysFalse = Prop.ForAll(Properties.Matrices(), (IndexMatrix m) => m.Rows < 0);
        Assert.ThrowsAny<Exception>(() => alwaysFalse.Check(Properties.Config(10)));
    }

    [Fact]
    public void DecodeInvertsEncode()
    {
        Prop.ForAll(Properties.Matrices(), (IndexMatrix m) =>
                TestMatrices.DecodeAll(m, TestMatrices.EncodeAll(m)).AsSpan().SequenceEqual(m.Indices))
            .Check(Properties.Config());
    }

    [Fact]
    public void EncodingMatchesTheSpecificationAndPointersCountColumnEntries()
    {
        Prop.ForAll(Properties.Matrices(), (IndexMatrix m) => CcsInvariants.Check(m, TestMatrices.EncodeAll(m)))
            .Check(Properties.Config());
    }

    [Fact]
    public void CountPassAgreesWithFillPassAndColumnCounts()
    {
        Prop.ForAll(Properties.Matrices(), (IndexMatrix m) =>
            {
                for (int pe = 0; pe < m.PeCount; pe++)
                {
                    int localRows = CcsEncoder.LocalRowCount(m.Rows, m.PeCount, pe);
                    int sum = 0;
                    for (int j = 0; j < m.Cols; j++)
                    {
                        sum += CcsEncoder.EncodeColumn(m.Indices, (pe * m.Cols) + j, m.PeCount * m.Cols, localRows, []);
                    }

                    int counted = CcsEncoder.CountSliceEntries(m.Indices, m.Rows, m.Cols, m.PeCount, pe);
                    var entries = new byte[counted];
                    var pointers = new int[m.Cols + 1];
                    int written = CcsEncoder.EncodeSlice(m.Indices, m.Rows, m.Cols, m.PeCount, pe, entries, pointers);
                    if (sum != counted || written != counted || pointers[m.Cols] != counted)
                    {
                        return false;
                    }
                }

                return true;
            })
            .Check(Properties.Config());
    }

    [Fact]
    public void DecoderNeverThrowsOnArbitrarySlices()
    {
        // Any bytes and any pointers: the decoder answers true or false and stays inside the output.
        Gen<(byte[] Entries, int[] Pointers, int Rows, int Cols, int PeCount, int Pe)> slices =
            from rows in Gen.Choose(1, 40)
            from cols in Gen.Choose(1, 6)
            from peCount in Gen.Choose(1, 6)
            from pe in Gen.Choose(0, peCount - 1)
            from entries in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
            from pointerCount in Gen.Choose(0, cols + 2)
            from pointers in Gen.ArrayOf(Gen.Choose(-2, entries.Length + 2), pointerCount)
            select (entries, pointers, rows, cols, peCount, pe);
        Prop.ForAll(slices.ToArbitrary(), s =>
            {
                var output = new byte[s.Rows * s.Cols];
                bool accepted = CcsDecoder.DecodeSlice(s.Entries, s.Pointers, s.Rows, s.Cols, s.PeCount, s.Pe, output);
                if (accepted)
                {
                    // An accepted slice has sane pointers.
                    Assert.Equal(0, s.Pointers[0]);
                    for (int j = 0; j < s.Cols; j++)
                    {
                        Assert.InRange(s.Pointers[j + 1], s.Pointers[j], s.Entries.Length);
                    }
                }
            })
            .Check(Properties.Config(1000));
    }
}
