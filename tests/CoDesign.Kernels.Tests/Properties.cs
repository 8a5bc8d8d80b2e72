using FsCheck;
using FsCheck.Fluent;

namespace CoDesign.Kernels.Tests;

/// <summary>FsCheck generators and the configuration the property tests run under.</summary>
public static class Properties
{
    /// <summary>Fails the calling test when a property fails (FsCheck throws), after <paramref name="maxTest"/> cases.</summary>
    public static Config Config(int maxTest = 300) => FsCheck.Config.QuickThrowOnFailure.WithMaxTest(maxTest);

    /// <summary>
    /// Index matrices from 1 x 1 to 90 x 12 over 1 to 9 PEs, from empty to dense; the sparse ones make long
    /// zero runs (and so padding entries), the zero-weight mix decides how sparse.
    /// </summary>
    public static Arbitrary<IndexMatrix> Matrices()
    {
        Gen<byte> nonzero = Gen.Choose(1, 15).Select(v => (byte)v);
        Gen<IndexMatrix> matrices =
            from rows in Gen.Choose(1, 90)
            from cols in Gen.Choose(1, 12)
            from peCount in Gen.Choose(1, 9)
            from zeroWeight in Gen.Elements(0, 1, 4, 20, 100, 1000)
            from cells in Gen.ArrayOf(
                zeroWeight == 0 ? nonzero : Gen.Frequency((zeroWeight, Gen.Constant((byte)0)), (1, nonzero)),
                rows * cols)
            select new IndexMatrix(rows, cols, peCount, cells);
        return matrices.ToArbitrary();
    }
}
