using System.Globalization;
using CoDesign.Hardware;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;

namespace CoDesign.Benchmarks.Devices;

/// <summary>
/// <c>--board-fit [--images N] [--no-synthesis]</c>: why the iCEBreaker carries the sequential engine
/// and not a PE array (issue 11's goal: at least 2 PEs and at most 12,000 cycles per image). Two parts,
/// side by side in one run:
/// <list type="bullet">
/// <item>Cycles per image of the shipped model on N test images: the board's engine as the emulator
/// counts it (equal to its RTL), the same figure rebuilt from the columns and entries each image
/// touches (it must agree), and, from those counts, what faster engines could at best reach: any
/// engine on the byte-wide weight port, the sequential engine widened to 2 or 4 lock-step lanes (each
/// column waits for its longest lane), the same with every pointer fetch hidden, and pe.v's PE array
/// as the emulator counts it.</item>
/// <item>The cells of variants of the iCEBreaker top (Yosys <c>synth_ice40</c>, then nextpnr's
/// packer): the committed build, the build without an engine, and the 2-PE array in the UP5K's
/// leanest settings, with column blocks and the flash boot loader taken out as well.</item>
/// </list>
/// </summary>
internal static class BoardFitBenchmark
{
    /// <summary>Issue 11's goal for the iCEBreaker build, cycles per image.</summary>
    private const int GoalCycles = 12_000;

    public static int Run(string[] args)
    {
        int images = BenchmarkArguments.Int(args, "--images", 10_000);
        SparseModel shipped = ModelFile.Read(BenchmarkInputs.ShippedModelPath());
        LabeledImages test = FashionMnist.LoadTest().Take(images);
        Console.WriteLine($"board fit: the shipped model ({string.Join("-", new[] { shipped.InputSize }.Concat(shipped.Layers.Select(l => l.Rows)))}), {test.Count} Fashion-MNIST test images; goal {GoalCycles:N0} cycles per image with >= 2 PEs on the UP5K's 5,280 cells");
        Console.WriteLine();
        bool cyclesAgree = Cycles(shipped, test);
        Console.WriteLine();
        if (!args.Contains("--no-synthesis"))
        {
            Cells();
        }

        return cyclesAgree ? 0 : 1;
    }

    private static bool Cycles(SparseModel shipped, LabeledImages test)
    {
        Board board = Board.IceBreaker;
        (byte[][][] layerInputs, int[][] expected) = LayerByLayer(shipped, test);
        double boardCycles = Measure("emulator:" + board.Name, null, shipped, test, expected);
        double arrayCycles = Measure("emulator", 2, shipped, test, expected);

        // Per image and layer: the nonzero inputs and the entries of their columns, for the board's
        // one slice and for the rows dealt round-robin to 2 and 4 lanes (the longest lane per column).
        SparseModel one = shipped.Repartition(board.PeCount);
        SparseModel[] lanes = [shipped.Repartition(2), shipped.Repartition(4)];
        int[] pointerBits = [.. ModelCompiler.Compile(one, board.Profile).Layers.Select(l => l.PointerBits)];

        // What a nonzero column costs the engine beyond its entries and its scan step, per layer: its pointer fetch.
        long[] fetchCycles = [.. pointerBits.Select(bits => SequentialEngineCostModel.LayerCycles(1, 0, 1, bits, false, 1, 0) - SequentialEngineCostModel.LayerCycles(1, 0, 1, bits, false, 0, 0))];
        long rebuilt = 0, nonzero = 0, entries = 0, setup = 0, pointerBytes = 0;
        var longest = new long[lanes.Length];
        for (int i = 0; i < test.Count; i++)
        {
            byte[][] inputs = layerInputs[i];
            rebuilt += SequentialEngineCostModel.ImageCycles(shipped.InputSize);
            for (int l = 0; l < shipped.Layers.Count; l++)
            {
                SparseLayer layer = one.Layers[l];
                int[] columns = [.. Enumerable.Range(0, layer.Cols).Where(j => inputs[l][j] != 0)];
                long layerEntries = columns.Sum(j => (long)ColumnEntries(layer.Weights, j).Sum());
                rebuilt += SequentialEngineCostModel.LayerCycles(layer.Cols, layer.Rows, board.PeCount, pointerBits[l], layer.Output == LayerOutput.Raw32, columns.Length, layerEntries);
                nonzero += columns.Length;
                entries += layerEntries;
                pointerBytes += columns.Length * (pointerBits[l] / 8);
                setup += columns.Length * fetchCycles[l];
                for (int w = 0; w < lanes.Length; w++)
                {
                    CcsMatrix slices = lanes[w].Layers[l].Weights;
                    longest[w] += columns.Sum(j => (long)ColumnEntries(slices, j).Max());
                }
            }
        }

        double n = test.Count;
        bool agree = Math.Abs((rebuilt / n) - boardCycles) < 0.5;
        Console.WriteLine($"per image: {nonzero / n:N1} nonzero inputs (columns read), {entries / n:N1} entries in their columns, {setup / n:N1} cycles of pointer fetches before their entries (board engine, {string.Join("/", pointerBits.Distinct())}-bit pointers)");
        Console.WriteLine($"{"engine",-84} {"cycles/image",12} {"vs board",9} {"vs goal",8}");
        Row($"board: {board.Name}'s sequential engine, emulator (its RTL takes the same)", boardCycles, boardCycles);
        Row($"the same rebuilt from the counts above ({(agree ? "agrees" : "DOES NOT AGREE")})", rebuilt / n, boardCycles);
        Row("floor of any engine on the byte-wide port: entries + one pointer per column", (entries + pointerBytes) / n, boardCycles);
        for (int w = 0; w < lanes.Length; w++)
        {
            int count = lanes[w].PeCount;
            double lockStep = boardCycles - (entries / n) + (longest[w] / n);
            Row($"{count} lock-step lanes, this engine's control (a column waits for its longest lane)", lockStep, boardCycles);
            Row($"{count} lock-step lanes, every pointer fetch hidden behind the entries", lockStep - (setup / n), boardCycles);
        }

        Row("pe.v's PE array, 2 PEs: emulator (emulator --pes 2)", arrayCycles, boardCycles);
        return agree;
    }

    private static void Row(string name, double cycles, double board) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-84} {cycles,12:N0} {cycles / board,8:0.00}x {cycles / GoalCycles,7:0.00}x"));

    // Entries each slice holds for column j (its share of the column, padding included).
    private static IEnumerable<int> ColumnEntries(CcsMatrix weights, int j) => weights.Slices.Select(s => s.Pointers[j + 1] - s.Pointers[j]);

    // Each image's input to every layer and its outputs, by the dense integer reference of one layer at a
    // time, each fed the activations of the one before.
    private static (byte[][][] LayerInputs, int[][] Outputs) LayerByLayer(SparseModel model, LabeledImages test)
    {
        DenseIntegerReference[] layers = [.. model.Layers.Select(l => new DenseIntegerReference(new SparseModel(model.Name, l.Cols, [l])))];
        var inputs = new byte[test.Count][][];
        var outputs = new int[test.Count][];
        for (int i = 0; i < test.Count; i++)
        {
            inputs[i] = new byte[layers.Length][];
            byte[] x = test.Image(i).ToArray();
            for (int l = 0; l < layers.Length; l++)
            {
                inputs[i][l] = x;
                outputs[i] = layers[l].Forward(x);
                x = [.. outputs[i].Select(v => (byte)v)];
            }
        }

        return (inputs, outputs);
    }

    // Runs the test images on a device by name and returns its cycles per image; throws unless every output is the reference's.
    private static double Measure(string device, int? pes, SparseModel model, LabeledImages test, int[][] expected)
    {
        using ConnectedDevice connected = HardwareDevices.Registry.Open(device, pes);
        DeviceSession session = connected.Session;
        DeployedModel deployed = session.Deploy(ModelCompiler.Compile(model, session.Profile));
        InferenceResult result = session.Infer(deployed, test.Pixels, test.Count);
        for (int i = 0; i < test.Count; i++)
        {
            if (!result.OutputsOf(i).SequenceEqual(expected[i]))
            {
                throw new InvalidOperationException($"{device}: image {i} differs from the dense integer reference");
            }
        }

        return result.Cycles / (double)test.Count;
    }

    // The iCEBreaker top's variants: its instance parameters replaced, or the boot loader tied off.
    private static void Cells()
    {
        string top = File.ReadAllText(HardwareSources.BoardTop(Board.IceBreaker.TopModule));
        const string Engine = ".PE_COUNT(1), .MODEL_SLOTS(255)";
        const string ArrayEngine = ".PE_ARRAY(1), .PE_COUNT(2), .PE_MAX_COLS(1023), .PE_FIFO_DEPTH(2), .PE_SCAN_QUEUE(2), .PE_EBR_DELAYS(1), .MODEL_SLOTS(255)";
        string noEngine = Replace(top, ".HAS_ENGINE(1)", ".HAS_ENGINE(0)");
        string array = Replace(top, Engine, ArrayEngine);
        string lean = Replace(Replace(array, ".MODEL_SLOTS(255)", ".MODEL_SLOTS(2)"), ".COLUMN_BLOCKS(1)", ".COLUMN_BLOCKS(0)");
        string leanNoBoot = TieOffBootLoader(lean);
        (string Name, string Source)[] variants =
        [
            ("committed: link, controller, model table, flash boot, sequential engine", top),
            ("the same without an engine (Run refused)", noEngine),
            ("2-PE array (FIFOs 2, scan queue 2, delays in EBR), 255 slots, column blocks", array),
            ("2-PE array, 2 model slots, no column blocks", lean),
            ("the same without the flash boot loader", leanNoBoot),
        ];
        Console.WriteLine("cells of iCEBreaker top variants (synth_ice40, nextpnr-ice40 --up5k --pack-only; 5,280 logic cells, 30 block RAMs):");
        Console.WriteLine($"{"variant",-84} {"cells",6} {"of part",8} {"EBR",4}");
        foreach ((string name, string source) in variants)
        {
            (int cells, int ebr) = Pack(source);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-84} {cells,6:N0} {cells / 5280.0,7:P0} {ebr,4}"));
        }
    }

    private static string Replace(string text, string what, string with) =>
        text.Contains(what, StringComparison.Ordinal) ? text.Replace(what, with, StringComparison.Ordinal)
            : throw new InvalidOperationException($"icebreaker.v no longer has '{what}': update the benchmark's variants");

    // The boot loader's instance replaced by its outputs held idle and the flash pins parked.
    private static string TieOffBootLoader(string top)
    {
        int start = top.IndexOf("    flash_boot_loader", StringComparison.Ordinal);
        int end = top.IndexOf(".flash_miso(flash_io1));", StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException("icebreaker.v's flash_boot_loader instance was not found: update the benchmark's variants");
        }

        const string Idle = "    assign {boot_hold, boot_arg, boot_write, boot_commit, boot_byte} = 12'd0;\n    assign {flash_sck, flash_ssb, flash_io0} = 3'b010;\n";
        return top[..start] + Idle + top[(end + ".flash_miso(flash_io1));".Length)..];
    }

    // Packed logic cells and block RAMs of a top level.
    private static (int Cells, int Ebr) Pack(string topSource)
    {
        string work = Path.Combine(Path.GetTempPath(), $"codesign-board-fit-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            string topFile = Path.Combine(work, "icebreaker.v");
            File.WriteAllText(topFile, topSource);
            string[] sources = [.. HardwareSources.AllRtl(), topFile];
            string generated = Path.Combine(HardwareSources.Root, "rtl", "generated");
            string script = $"read_verilog -defer -I{generated} {string.Join(" ", sources)}; synth_ice40 -top icebreaker -json {Path.Combine(work, "top.json")}";
            ExternalTool.RunChecked("yosys", ["-q", "-p", script], work, TimeSpan.FromMinutes(10));
            string log = Path.Combine(work, "pack.log");
            ExternalTool.RunChecked("nextpnr-ice40", ["--up5k", "--package", "sg48", "--json", Path.Combine(work, "top.json"), "--pcf", Board.IceBreaker.Constraints, "--pack-only", "--log", log], work, TimeSpan.FromMinutes(10));
            string text = File.ReadAllText(log);
            return (Used(text, "ICESTORM_LC"), Used(text, "ICESTORM_RAM"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    // "ICESTORM_LC:  5039/ 5280    95%": the last utilisation line for that cell type.
    private static int Used(string log, string cell)
    {
        string line = log.Split('\n').Last(l => l.Contains(cell + ":", StringComparison.Ordinal));
        string used = line[(line.IndexOf(cell + ":", StringComparison.Ordinal) + cell.Length + 1)..];
        return int.Parse(used.Split('/')[0].Trim(), CultureInfo.InvariantCulture);
    }
}
