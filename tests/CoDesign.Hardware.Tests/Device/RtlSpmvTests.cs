using System.Numerics;
using CoDesign.Compression.Spmv;
using CoDesign.Model.MatrixMarket;
using CoDesign.Model.Spmv;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Spmv;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>An exact product of a wide-valued integer matrix and a signed vector on the RTL: many groups, tiles and planes, bit-exact with the emulator.</summary>
public class RtlSpmvTests
{
    [Fact]
    public void AWideIntegerProductIsExactOnTheRtlAndPassForPassEqualToTheEmulator()
    {
        // 40 distinct values from -7 to 2^30: small ones, ones beyond 16 bits, and ones needing two 15-bit digits.
        var random = new Random(11);
        long[] alphabet = [.. Enumerable.Range(0, 40).Select(k => k switch { < 15 => (long)random.Next(-7, 8), < 30 => random.Next(-40000, 40000), _ => (long)random.Next(-1000, 1000) << 21 | 1 })];
        var entries = new List<MatrixEntry>();
        for (int i = 0; i < 40; i++)
        {
            for (int j = 0; j < 1500; j++)
            {
                if (random.Next(10) == 0)
                {
                    entries.Add(new MatrixEntry(i, j, alphabet[random.Next(alphabet.Length)]));
                }
            }
        }

        var matrix = new SparseMatrixData(40, 1500, entries, MatrixValueField.Integer);
        long[] x = [.. Enumerable.Range(0, 1500).Select(_ => (long)random.Next(-5000, 5000))];
        using DeviceSession rtl = DeviceSession.Open(VerilatorSimulation.Start(), "rtl-sim", TimeSpan.FromSeconds(20));
        SpmvPlan plan = SpmvPlanner.Plan(matrix, VectorPlanes.Split(x), new SpmvOptions(rtl.Profile.PeCount), SpmvRunner.LimitsFor(rtl.Profile));
        Assert.True(plan.TileCount > 1 && plan.GroupCount > 1 && plan.Planes.Count > 2, $"{plan.GroupCount} groups, {plan.TileCount} tiles, {plan.Planes.Count} planes");

        SpmvRun onRtl = SpmvRunner.Run(rtl, plan);
        using ConnectedDevice emulator = RuntimeDevices.Registry.Open("emulator", profile: rtl.Profile);
        SpmvRun onEmulator = SpmvRunner.Run(emulator.Session, plan);

        Assert.Equal(onEmulator.PassOutputs, onRtl.PassOutputs);
        Assert.Equal(onEmulator.Entries, onRtl.Entries);
        var exact = new BigInteger[matrix.Rows];
        foreach (MatrixEntry e in matrix.Entries)
        {
            exact[e.Row] += (BigInteger)(long)e.Value * x[e.Col];
        }

        Assert.Equal(exact, plan.CombineExact(onRtl.PassOutputs));
    }
}
