using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Cpu;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests.Cpu;

/// <summary>The cpu device computes bit for bit what the emulator and the dense integer reference compute, on every kernel path.</summary>
public class CpuDeviceTests
{
    public static TheoryData<CpuKernelPath> Paths => [CpuKernelPath.Avx512, CpuKernelPath.Avx2, CpuKernelPath.Portable];

    [Theory]
    [MemberData(nameof(Paths))]
    public void RandomModelsAgreeWithTheEmulatorAndTheReference(CpuKernelPath path)
    {
        foreach ((int seed, int[] widths, double density, int pes) in new[]
        {
            (1, new[] { 100, 64, 40, 10 }, 0.2, 4),
            (2, new[] { 37, 13, 7 }, 0.5, 3),       // odd widths, rows not a multiple of 4 entries
            (3, new[] { 1, 1 }, 1.0, 1),            // one column, one row
            (4, new[] { 5, 1, 3 }, 0.8, 2),         // a one-row hidden layer
            (5, new[] { 50, 30, 10 }, 0.02, 4),     // empty columns and empty rows
            (6, new[] { 20, 17, 9 }, 1.0, 5),       // full density
            (7, new[] { 784, 256, 128, 10 }, 0.1, 2),
        })
        {
            SparseModel model = RandomSparseModel.Create(seed, widths, density, pes);
            foreach (int count in new[] { 1, 3, 4, 15, 16, 17, 200 })
            {
                AssertAgrees(path, model, RandomSparseModel.Inputs(seed + count, count, model.InputSize), pes);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void SumsWrapModulo2To32AsTheAccumulatorDoes(CpuKernelPath path)
    {
        // 600 products of 255 * 32767 pass 2^32: the sums wrap, and biases near the int range's ends wrap them again.
        var random = new Random(11);
        SparseModel model = Model(random, [600, 40, 24], density: 1.0, weights: (30000, 32767), shifts: [24, 0], biasRange: int.MaxValue);
        byte[] inputs = Enumerable.Repeat((byte)255, 33 * model.InputSize).ToArray();
        random.NextBytes(inputs.AsSpan(0, 10 * model.InputSize));

        AssertAgrees(path, model, inputs, 4);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void EveryRequantizerShiftRoundsAndSaturatesAsTheKernel(CpuKernelPath path)
    {
        // Shifts 0..31 over wide sums: saturation at 255, rounding half up, ReLU of negative sums.
        for (int shift = 0; shift < 32; shift += 3)
        {
            var random = new Random(shift);
            SparseModel model = Model(random, [64, 48, 6], density: 0.6, weights: (-32768, 32767), shifts: [shift, 0], biasRange: 1 << Math.Min(30, shift + 8));
            AssertAgrees(path, model, RandomSparseModel.Inputs(shift, 21, model.InputSize), 2);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ALargeLayerSplitsItsRowsOverTheCoresForOneImage(CpuKernelPath path)
    {
        SparseModel model = RandomSparseModel.Create(5, [1024, 600, 10], 0.3);
        AssertAgrees(path, model, RandomSparseModel.Inputs(8, 1, model.InputSize), 4);
        AssertAgrees(path, model, RandomSparseModel.Inputs(9, 40, model.InputSize), 4, threads: 1);
    }

    [Fact]
    public void OpensThroughTheRegistryAndReportsHostNanoseconds()
    {
        using ConnectedDevice device = RuntimeDevices.Registry.Open("cpu");
        DeviceProfile profile = device.Session.Profile;
        Assert.Equal("cpu", profile.Name);
        Assert.Equal(CycleSource.HostClock, profile.Cycles);
        Assert.Equal(DeviceProfile.NanosecondClockHz, profile.ClockHz);
        Assert.Equal(ushort.MaxValue, profile.MaxPayload);

        SparseModel model = RandomSparseModel.Create(3, [784, 256, 128, 10], 0.1, profile.PeCount);
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, profile));
        byte[] inputs = RandomSparseModel.Inputs(4, 300, model.InputSize);
        InferenceResult result = device.Session.Infer(deployed, inputs, 300);

        Assert.Equal(TestModels.Reference(model, inputs), result.Outputs);
        Assert.True(result.Cycles > 0);
    }

    [Fact]
    public void AskedPeCountShapesTheImageNotTheResult()
    {
        using ConnectedDevice device = RuntimeDevices.Registry.Open("cpu", peCount: 7);
        Assert.Equal(7, device.Session.Profile.PeCount);
        SparseModel model = RandomSparseModel.Create(8, [60, 20, 5], 0.3, 7);
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, device.Session.Profile));
        byte[] inputs = RandomSparseModel.Inputs(1, 40, model.InputSize);

        Assert.Equal(TestModels.Reference(model, inputs), device.Session.Infer(deployed, inputs, 40).Outputs);
    }

    [Fact]
    public void AutoPicksTheWidestPathTheHostHas()
    {
        using var engine = new CpuEngine();
        CpuKernelPath expected = CpuEngine.IsSupported(CpuKernelPath.Avx512) && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? CpuKernelPath.Avx512
            : CpuEngine.IsSupported(CpuKernelPath.Avx2) ? CpuKernelPath.Avx2 : CpuKernelPath.Portable;
        Assert.Equal(expected, engine.Path);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CpuEngine(threads: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CpuEngine(peCount: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CpuEngine(peCount: 65));
    }

    /// <summary>
    /// Runs <paramref name="inputs"/> on the cpu device (path, threads) and on the emulator, both compiled
    /// for <paramref name="pes"/> PEs: outputs equal each other and the reference, and so do the work counts.
    /// </summary>
    private static void AssertAgrees(CpuKernelPath path, SparseModel model, byte[] inputs, int pes, int? threads = null)
    {
        if (!CpuEngine.IsSupported(path))
        {
            return;   // Nothing to exercise on this host; the portable path runs everywhere.
        }

        int count = inputs.Length / model.InputSize;
        int[] reference = TestModels.Reference(model, inputs);

        var cpu = new CpuEngine(path, threads, pes);
        InferenceResult onCpu = Infer(cpu, cpu.Profile, model, inputs, count);
        DeviceProfile emulated = DeviceProfile.EmulatorDefault with { PeCount = pes, PersistentBytes = 4 << 20, ScratchBytes = 64 << 10, MaxPayload = ushort.MaxValue };
        InferenceResult onEmulator = Infer(new EmulatorEngine(emulated), emulated, model, inputs, count);

        Assert.Equal(reference, onEmulator.Outputs);
        Assert.Equal(reference, onCpu.Outputs);
        Assert.Equal(onEmulator.Entries, onCpu.Entries);
        Assert.Equal(onEmulator.ShiftAddSteps, onCpu.ShiftAddSteps);
        Assert.Equal(onEmulator.Broadcasts, onCpu.Broadcasts);
        Assert.True(onCpu.Cycles > 0);
    }

    private static InferenceResult Infer(IComputeEngine engine, DeviceProfile profile, SparseModel model, byte[] inputs, int count)
    {
        (LinkServer server, Stream hostEnd) = LinkServer.Start(engine);
        using var device = new ConnectedDevice(DeviceSession.Open(hostEnd, profile.Name, TimeSpan.FromSeconds(10)), server);
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, profile));
        return device.Session.Infer(deployed, inputs, count);
    }

    /// <summary>A model with weights drawn from <paramref name="weights"/>, biases from ±<paramref name="biasRange"/>, and the given hidden shifts.</summary>
    private static SparseModel Model(Random random, int[] widths, double density, (int Min, int Max) weights, int[] shifts, int biasRange)
    {
        var layers = new List<SparseLayer>();
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            int cols = widths[l];
            int rows = widths[l + 1];
            var indices = new byte[rows * cols];
            for (int i = 0; i < indices.Length; i++)
            {
                indices[i] = random.NextDouble() < density ? (byte)random.Next(1, 16) : (byte)0;
            }

            var codebook = new short[CcsEntry.CodebookSize];
            for (int c = 1; c < codebook.Length; c++)
            {
                codebook[c] = (short)random.Next(weights.Min, weights.Max + 1);
            }

            int[] bias = [.. Enumerable.Range(0, rows).Select(_ => (int)random.NextInt64(-(long)biasRange, biasRange))];
            bool last = l + 2 == widths.Length;
            layers.Add(new SparseLayer(
                CcsMatrix.Encode(indices, rows, cols, 4),
                codebook,
                bias,
                last ? LayerOutput.Raw32 : LayerOutput.ReluActivations8,
                last ? 0 : shifts[l],
                1f / 4096));
        }

        return new SparseModel("edge", widths[0], layers);
    }
}
