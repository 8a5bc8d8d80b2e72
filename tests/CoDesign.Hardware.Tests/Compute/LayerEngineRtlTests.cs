using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using CoDesign.Hardware.Tests.Device;
using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>
/// hardware/rtl/layer_engine.v alone (hardware/tb/layer_engine_tb.v models its weight memory,
/// receive buffer and transmit buffer): images compiled by ModelCompiler, placed in its weight
/// memory among junk, give for every input the emulator's outputs and its entry, shift-add step and
/// broadcast counts, bit for bit; malformed images, which the emulator refuses at commit, end in
/// <c>fault</c>, and the engine runs the next good image as if nothing happened. Some runs use the
/// <c>accumulate</c> input (a batch's counters) and must add to the counters of the run before.
/// </summary>
public class LayerEngineRtlTests(ITestOutputHelper output)
{
    /// <summary>The layer engine with the sequential engine and the pieces both engines share.</summary>
    internal static readonly string[] EngineRtl =
    [
        "layer_engine.v", "sequential_engine.v", "image_field_check.v", "codebook_loader.v", "run_counters.v", "dsp_counter.v", "byte_buffer.v",
        "shift_add_multiplier_recode16.v", "shift_add_multiplier_multiply_activation.v", "requantizer_requantize.v",
    ];

    /// <summary>What the PE-array sequencer adds.</summary>
    private static readonly string[] ArrayRtl = ["pe_array_engine.v", "activation_scan.v", "pe_array.v", "pe.v", "broadcast_fifo.v", "dsp_product.v"];

    /// <summary>The bench's weight memory: 2^MEM_BITS bytes (the simulated top's 128 KiB).</summary>
    private const int MemBits = 17;

    /// <summary>Receive and transmit buffer address bits, as the top level has them.</summary>
    private const int BufBits = 10;

    [Theory]
    [InlineData("40-24-10", 0.30, 4, 1, false)]
    [InlineData("64-33-17-5", 0.15, 3, 2, false)]     // rows not a multiple of the PE count; three layers
    [InlineData("16-16", 0.90, 1, 3, false)]          // one layer straight to raw outputs; one PE; dense
    [InlineData("200-48-7", 0.02, 16, 4, false)]      // long zero runs (padding entries); 16 PEs, the engine's most
    [InlineData("30-512-3", 0.10, 4, 5, false)]       // 512 rows: the accumulators' limit (ACC_BITS = 9); 30 inputs, not a multiple of 8
    [InlineData("1024-6-2", 0.05, 2, 6, false)]       // 1024 inputs: the activation buffer's limit (ACT_BITS = 10), the whole receive buffer
    [InlineData("40-24-10", 0.30, 4, 1, true)]        // the PE array (four PEs, one per memory lane) ...
    [InlineData("30-512-3", 0.10, 4, 5, true)]        // ... 128 local rows per PE; 30 inputs, not a multiple of the scan's 4
    [InlineData("1021-9-5", 0.90, 4, 7, true)]        // ... dense (the FIFOs fill and the scan waits); 1021 inputs, one word short of the buffer
    [InlineData("16-16", 0.90, 4, 3, true)]           // ... one layer straight to raw outputs
    [InlineData("40-24-10", 0.30, 2, 1, true)]        // two PEs, each reading 4-byte lane words from two banks ...
    [InlineData("30-512-3", 0.10, 2, 5, true)]        // ... 256 local rows per PE
    [InlineData("1021-9-5", 0.90, 2, 7, true)]        // ... dense: the FIFOs fill and the scan waits
    public void RandomModelsEqualTheEmulator(string widths, double density, int peCount, int seed, bool peArray)
    {
        int[] layerWidths = widths.Split('-').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
        SparseModel model = RandomSparseModel.Create(seed, layerWidths, density, peCount);
        var random = new Random(seed);
        int inputSize = layerWidths[0];
        var inputs = new List<byte[]>
        {
            RandomInput(random, inputSize, 0.5),
            RandomInput(random, inputSize, 0.1),
            RandomInput(random, inputSize, 0.9),
            new byte[inputSize],                                          // no broadcasts: the biases alone
            Enumerable.Repeat((byte)255, inputSize).ToArray(),
        };

        CompareWithTheEmulator(model, peCount, inputs, random, peArray ? $"le-random{seed}-array{peCount}" : $"le-random{seed}", peArray);
    }

    [Fact]
    public void ThirtyTwoBitColumnPointersEqualTheEmulator()
    {
        // One PE holding 300 x 240 dense weights: 72,000 entries, past what 16-bit pointers address.
        SparseModel model = RandomSparseModel.Create(7, [240, 300, 2], 1.0, 1);
        DeviceImage image = ModelCompiler.Compile(model, Profile(1));
        Assert.Equal(32, image.Layers[0].PointerBits);
        var random = new Random(7);

        CompareWithTheEmulator(model, 1, [RandomInput(random, 240, 0.3)], random, "le-pointers32");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // the PE array
    public void FashionMnistImagesThroughTheShippedModelEqualTheEmulator(bool peArray)
    {
        SparseModel model = ModelFile.Read(Path.Combine(HardwareSources.Root, "..", "host", "models", "fashion-mnist-mlp.cdsm"));
        LabeledImages test = FashionMnist.LoadTest();
        var random = new Random(8);
        var inputs = new List<byte[]> { test.Image(0).ToArray(), test.Image(1).ToArray(), RandomInput(random, test.ImageSize, 0.5) };

        List<InferenceResult> emulated = CompareWithTheEmulator(model, 4, inputs, random, peArray ? "le-shipped-array" : "le-shipped", peArray);

        var reference = new DenseIntegerReference(model);
        Assert.Equal(reference.Forward(test.Image(0)), emulated[0].Outputs);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // the PE array: the same faults, and its accumulators are cleared after one
    public void MalformedImagesFaultAndTheNextGoodImageRuns(bool peArray)
    {
        const int peCount = 4;
        DeviceProfile profile = Profile(peCount);
        SparseModel model = RandomSparseModel.Create(9, [24, 12, 6], 0.5, peCount);
        byte[] good = Flatten(ModelCompiler.Compile(model, profile));
        Assert.True(good.Length <= 0x800, $"{good.Length}-byte image: the copies below are 2 KiB apart");
        ModelHeader header = ModelHeader.Decode(good)!.Value;
        int layer0 = header.InstructionsOffset;
        int layer1 = layer0 + LayerInstruction.Size;
        LayerInstruction first = LayerInstruction.Decode(good.AsSpan(layer0))!.Value;
        PeSliceRecord pe0 = PeSliceRecord.Decode(good.AsSpan(first.PeTableOffset));
        int[] pointers = Enumerable.Range(0, first.Cols + 1)
            .Select(j => (int)BinaryPrimitives.ReadUInt16LittleEndian(good.AsSpan((int)MemoryLanes.Address(pe0.PointersOffset, 2 * j, MemoryLanes.WordBytes(peCount)))))
            .ToArray();
        Assert.Equal(16, first.PointerBits);
        int column = Enumerable.Range(2, first.Cols - 2).First(j => pointers[j - 1] > 0);   // column j - 1 holds entries

        var corruptions = new (string Name, Action<byte[]> Damage)[]
        {
            ("the last layer's opcode", image => image[layer1] = 2),
            ("layer 0's pointer width of 24 bits", image => image[layer0 + 3] = 24),
            ("layer 0's shift of 40", image => image[layer0 + 2] = 40),
            ("a header with no layers", image => BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(6), 0)),
            ("layer 1 taking one more input than layer 0 gives", image => BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(layer1 + 12), (uint)first.Rows + 1)),
            ("a zero run past PE 0's last row", image => image[MemoryLanes.Address(pe0.EntriesOffset, pointers[column] - 1, MemoryLanes.WordBytes(peCount))] |= 0xF0),
            ("decreasing column pointers", image => BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan((int)MemoryLanes.Address(pe0.PointersOffset, 2 * column, MemoryLanes.WordBytes(peCount))), 0)),
            ("PE 0's entries off their lane word", image => image[first.PeTableOffset + 4] |= 1),
        };
        if (peArray)
        {
            // The sequential engine reads any lane through its byte port; a PE has a port on its own lane only.
            corruptions = [.. corruptions, ("PE 1's entries in PE 0's lane", image => image[first.PeTableOffset + PeSliceRecord.Size + 4] -= 2)];
        }

        // The good image and each damaged copy at its own address, junk in between.
        var random = new Random(9);
        var memory = new byte[1 << MemBits];
        random.NextBytes(memory);
        int goodAt = 0x1_0040;
        good.CopyTo(memory, goodAt);
        var runs = new List<EngineRun>();
        var emulatorInputs = new List<byte[]>();
        for (int c = 0; c < corruptions.Length; c++)
        {
            byte[] damaged = (byte[])good.Clone();
            corruptions[c].Damage(damaged);
            Assert.True(EmulatorRefuses(damaged, profile), $"the emulator commits an image with {corruptions[c].Name}");
            int at = 0x400 + (c * 0x800);
            damaged.CopyTo(memory, at);

            byte[] goodInput = RandomInput(random, model.InputSize, 0.3);
            emulatorInputs.Add(goodInput);
            runs.Add(new EngineRun(goodAt, random.Next(900), random.Next(RunReply.HeaderSize, 900), goodInput, false));
            byte[] everyColumn = Enumerable.Range(0, model.InputSize).Select(_ => (byte)random.Next(1, 256)).ToArray();
            runs.Add(new EngineRun(at, random.Next(900), random.Next(RunReply.HeaderSize, 900), everyColumn, false));
        }

        List<InferenceResult> expected = Emulate(model, profile, emulatorInputs, peArray);
        List<EngineResult> results = RunEngine(memory, runs, model.OutputSize, WatchdogCycles(model), peArray ? "le-malformed-array" : "le-malformed", peArray);

        for (int c = 0; c < corruptions.Length; c++)
        {
            AssertEqual(expected[c], results[2 * c], null, $"good run before {corruptions[c].Name}");
            EngineResult bad = results[(2 * c) + 1];
            Assert.True(bad.Fault, $"no fault for an image with {corruptions[c].Name}");
            Assert.Equal(0, bad.Writes);
            CheckCounterBlock(bad, $"faulted run with {corruptions[c].Name}");
        }
    }

    /// <summary>One start of the engine; <paramref name="Accumulate"/>: add to the counters instead of clearing them.</summary>
    private sealed record EngineRun(int ModelAddress, int InputAt, int OutputAt, byte[] Input, bool Accumulate);

    /// <summary>What the bench saw of one run; <paramref name="Extra"/>: transmit writes outside the output window, by address.</summary>
    private sealed record EngineResult(bool Fault, long Cycles, long Entries, long Steps, long Broadcasts, int Writes, int[] Outputs, IReadOnlyDictionary<int, byte> Extra);

    private static DeviceProfile Profile(int peCount) => DeviceProfile.EmulatorDefault with { PeCount = peCount };

    /// <summary>A generous bound on the cycles of one run: the sequential engine takes about 10 per entry plus a few per column and row.</summary>
    private static int WatchdogCycles(SparseModel model) =>
        5000 + model.Layers.Sum(l => (int)((20 * l.Weights.EntryCount) + (40L * l.Cols * l.Weights.PeCount) + (60L * l.Rows)));

    /// <summary>
    /// Compiles <paramref name="model"/>, places the image at a random word-aligned address among junk,
    /// runs every input through the engine (random receive and transmit offsets) and through the
    /// emulator, and asserts that outputs and counters agree; returns the emulator's results.
    /// </summary>
    private List<InferenceResult> CompareWithTheEmulator(SparseModel model, int peCount, IReadOnlyList<byte[]> inputs, Random random, string name, bool peArray = false)
    {
        DeviceProfile profile = Profile(peCount);
        byte[] image = Flatten(ModelCompiler.Compile(model, profile));
        var memory = new byte[1 << MemBits];
        random.NextBytes(memory);
        // On a memory line, as the host's allocator places images (the array reads each PE's lane from its bank).
        int at = 8 * random.Next((memory.Length - image.Length) / 8);
        image.CopyTo(memory, at);
        int bufferBytes = 1 << BufBits;
        // Outputs after the Run reply's header, as the controller places them. The third and fifth
        // runs add to the counters of the run before.
        var runs = inputs
            .Select((x, i) => new EngineRun(
                at,
                random.Next(bufferBytes - x.Length + 1),
                random.Next(RunReply.HeaderSize, bufferBytes - (4 * model.OutputSize) + 1),
                x,
                i % 2 == 0 && i > 0))
            .ToList();

        List<InferenceResult> expected = Emulate(model, profile, inputs, peArray);
        List<EngineResult> results = RunEngine(memory, runs, model.OutputSize, WatchdogCycles(model), name, peArray, peCount);

        for (int i = 0; i < inputs.Count; i++)
        {
            AssertEqual(expected[i], results[i], runs[i].Accumulate ? results[i - 1] : null, $"input {i}");
        }

        long[] rtlCycles = results.Select((r, i) => r.Cycles - (runs[i].Accumulate ? results[i - 1].Cycles : 0)).ToArray();
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{model.Name}: {image.Length}-byte image at {at}; RTL cycles per input {string.Join(", ", rtlCycles)}; entries {string.Join(", ", expected.Select(r => r.Entries))}"));
        output.WriteLine($"cost model per input {string.Join(", ", expected.Select(r => r.Cycles))}");
        for (int i = 0; i < inputs.Count; i++)
        {
            if (peArray)
            {
                SameWork.CyclesWithinCostModel(expected[i].Cycles, rtlCycles[i]);
            }
            else
            {
                // SequentialEngineCostModel is counted state by state from the sequential engine: exact.
                Assert.Equal(expected[i].Cycles, rtlCycles[i]);
            }
        }

        return expected;
    }

    /// <summary>Outputs and counters of one run; <paramref name="before"/>: the run whose counters an accumulating run adds to.</summary>
    private static void AssertEqual(InferenceResult expected, EngineResult actual, EngineResult? before, string what)
    {
        Assert.False(actual.Fault, $"{what}: the engine faulted");
        Assert.Equal(expected.Outputs, actual.Outputs);
        Assert.Equal(expected.Entries + (before?.Entries ?? 0), actual.Entries);
        Assert.Equal(expected.ShiftAddSteps + (before?.Steps ?? 0), actual.Steps);
        Assert.Equal(expected.Broadcasts + (before?.Broadcasts ?? 0), actual.Broadcasts);
        Assert.True(actual.Cycles > (before?.Cycles ?? 0), $"{what}: {actual.Cycles} cycles");
        Assert.Equal(4 * expected.OutputSize, actual.Writes);
        CheckCounterBlock(actual, what);
    }

    /// <summary>
    /// Transmit writes outside the output window may only be the Run reply's counter block (bytes 8 .. 39:
    /// cycles, entries, steps and broadcasts as u64), holding what the counter ports show.
    /// </summary>
    private static void CheckCounterBlock(EngineResult actual, string what)
    {
        if (actual.Extra.Count == 0)
        {
            return;
        }

        Assert.True(
            actual.Extra.Keys.Order().SequenceEqual(Enumerable.Range(8, 32)),
            $"{what}: transmit writes outside the outputs at {string.Join(", ", actual.Extra.Keys.Order())}");
        byte[] block = Enumerable.Range(8, 32).Select(a => actual.Extra[a]).ToArray();
        long[] counters = Enumerable.Range(0, 4).Select(k => BinaryPrimitives.ReadInt64LittleEndian(block.AsSpan(8 * k))).ToArray();
        Assert.Equal([actual.Cycles, actual.Entries, actual.Steps, actual.Broadcasts], counters);
    }

    /// <summary>Runs the bench: the whole weight memory, then the runs in order.</summary>
    private List<EngineResult> RunEngine(byte[] memory, IReadOnlyList<EngineRun> runs, int outputCount, int watchdogCycles, string name, bool peArray = false, int peCount = 4)
    {
        using var folder = new BenchFolder(name);
        ComputeBench.WriteHex(folder, "le_memory.hex", memory.Select(b => (ulong)b), 2);
        File.WriteAllLines(
            Path.Combine(folder.Path, "le_runs.hex"),
            runs.Select(r => string.Create(CultureInfo.InvariantCulture, $"{(r.Accumulate ? 1 : 0):x1}{r.ModelAddress:x8}{r.InputAt:x4}{r.OutputAt:x4}")));
        ComputeBench.WriteHex(folder, "le_inputs.hex", runs.SelectMany(r => r.Input).Select(b => (ulong)b), 2);
        var stopwatch = Stopwatch.StartNew();
        List<string> lines = ComputeBench.Run("layer_engine_tb", peArray ? [.. EngineRtl, .. ArrayRtl] : EngineRtl, folder, new Dictionary<string, string>
        {
            ["PE_ARRAY"] = peArray ? "1" : "0",
            ["PE_COUNT"] = ComputeBench.Text(peArray ? peCount : 4),   // the sequential engine runs any count
            ["MEM_BITS"] = ComputeBench.Text(MemBits),
            ["BUF_BITS"] = ComputeBench.Text(BufBits),
            ["RUNS"] = ComputeBench.Text(runs.Count),
            ["INPUT_SIZE"] = ComputeBench.Text(runs[0].Input.Length),
            ["OUTPUT_BYTES"] = ComputeBench.Text(4 * outputCount),
            ["SEED"] = ComputeBench.Text(runs.Count),
            ["WATCHDOG_CYCLES"] = ComputeBench.Text(watchdogCycles),
        });
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {runs.Count} runs in {stopwatch.Elapsed.TotalSeconds:F1} s of Icarus"));

        var results = new List<EngineResult>();
        List<string> outs = ComputeBench.Only(lines, "OUT");
        List<string[]> extra = ComputeBench.Only(lines, "TX").Select(t => t.Split(' ')).ToList();
        foreach (string line in ComputeBench.Only(lines, "RUN"))
        {
            // RUN <run> FAULT <f> CYCLES <n> ENTRIES <n> STEPS <n> BROADCASTS <n> WRITES <n> EXTRA <n>
            string[] f = line.Split(' ');
            int run = results.Count;
            Assert.Equal(run, Number(f[1]));
            bool fault = f[3] == "1";
            int[] values = outs
                .Select(o => o.Split(' '))
                .Where(o => Number(o[1]) == run)
                .Select(o => unchecked((int)uint.Parse(o[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
                .ToArray();
            Assert.Equal(fault ? 0 : outputCount, values.Length);
            Dictionary<int, byte> extraBytes = extra
                .Where(t => Number(t[1]) == run)
                .ToDictionary(t => (int)Number(t[2]), t => byte.Parse(t[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            Assert.Equal(Number(f[15]), extraBytes.Count);
            results.Add(new EngineResult(fault, Number(f[5]), Number(f[7]), Number(f[9]), Number(f[11]), (int)Number(f[13]), values, extraBytes));
        }

        Assert.Equal(runs.Count, results.Count);
        return results;
    }

    private static long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>
    /// The emulator's result for each input on its own (so the counters are per input), its cycles
    /// by the cost model of the PE array or of the sequential engine.
    /// </summary>
    private static List<InferenceResult> Emulate(SparseModel model, DeviceProfile profile, IEnumerable<byte[]> inputs, bool peArray)
    {
        using ConnectedDevice emulator = LinkServer.Connect(new EmulatorEngine(profile, costModel: peArray ? EmulatedEngine.PeArray : EmulatedEngine.SequentialEngine), "emulator");
        DeployedModel deployed = emulator.Session.Deploy(ModelCompiler.Compile(model, emulator.Session.Profile));
        return inputs.Select(x => emulator.Session.Infer(deployed, x, 1)).ToList();
    }

    /// <summary>Writes <paramref name="image"/> into a fresh emulator and commits it; true when the commit is refused.</summary>
    private static bool EmulatorRefuses(byte[] image, DeviceProfile profile)
    {
        using var device = new LinkServer(new EmulatorEngine(profile));
        byte sequence = 0;
        const int chunk = 1024;
        for (int at = 0; at < image.Length; at += chunk)
        {
            int length = Math.Min(chunk, image.Length - at);
            byte[] write = WriteRequest.Encode(new DmaDescriptor(at, length, 8, false, BlockKind.Slices), 0, image.AsSpan(at, length));
            Assert.NotEqual(FrameType.Error, device.Handle(new Frame(FrameType.Write, ++sequence, write)).Type);
        }

        byte[] commit = CommitRequest.Encode(0, image.Length, Crc32.Compute(image));
        return device.Handle(new Frame(FrameType.Commit, ++sequence, commit)).Type == FrameType.Error;
    }

    /// <summary>The image as it stands in device memory once every chunk has landed.</summary>
    private static byte[] Flatten(DeviceImage image)
    {
        var bytes = new byte[image.ImageBytes];
        foreach (ImageChunk chunk in image.Chunks)
        {
            chunk.Payload!.CopyTo(bytes, chunk.Descriptor.Address);
        }

        Assert.Equal(image.Checksum, Crc32.Compute(bytes));
        return bytes;
    }

    internal static byte[] RandomInput(Random random, int size, double zeroFraction) =>
        Enumerable.Range(0, size).Select(_ => random.NextDouble() < zeroFraction ? (byte)0 : (byte)random.Next(1, 256)).ToArray();
}
