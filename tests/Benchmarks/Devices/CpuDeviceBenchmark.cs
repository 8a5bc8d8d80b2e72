using System.Globalization;
using CoDesign.Model;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Cpu;

namespace CoDesign.Benchmarks.Devices;

/// <summary>
/// The cpu device against its anchors in one run: images/s of the shipped model on 10,000 images
/// beside PyTorch's dynamically quantized int8 MLP of the same shape, and single-vector SpMV on a
/// 4096 x 4096 matrix at 10 % density beside scipy.sparse CSR int32. The anchors run in python3 as
/// subprocesses (Debian's python3-torch and python3-scipy); when they are missing the run says so.
/// Every result of ours is checked bit for bit before it is timed.
/// </summary>
public static class CpuDeviceBenchmark
{
    private const int Images = 10_000;
    private const int Rounds = 3;
    private const int SpmvSize = 4096;
    private const double SpmvDensity = 0.10;

    public static int Run()
    {
        string? python = PythonAnchor.Find("torch, scipy");
        Console.WriteLine($"cpu device benchmark: {Environment.ProcessorCount} logical cores, kernel path {new CpuEngine().Path}; anchors: {python ?? "none (no python3 with torch and scipy)"}");
        bool ok = RunModel(python);
        ok &= RunSpmv(python);
        return ok ? 0 : 1;
    }

    private static bool RunModel(string? python)
    {
        SparseModel model = ModelFile.Read(BenchmarkInputs.ShippedModelPath());
        (byte[] pixels, _, string source) = BenchmarkInputs.TestImages(Images, model.InputSize);
        Console.WriteLine();
        Console.WriteLine($"MLP {model.InputSize}-{string.Join("-", model.Layers.Select(l => l.Rows))} ({model.Name}), {Images:N0} images: {source}");

        var reference = new DenseIntegerReference(model);
        int[] expected = new int[Images * model.OutputSize];
        Parallel.For(0, Images, i => reference.Forward(pixels.AsSpan(i * model.InputSize, model.InputSize)).CopyTo(expected, i * model.OutputSize));

        // Ours and the anchor alternate for a few rounds: this machine is shared, so each round's ratio compares like with like.
        using var oneCore = new CpuEngine(threads: 1);
        using var allCores = new CpuEngine();
        using IEngineModel onOne = oneCore.Load(BenchmarkInputs.Commit(model, oneCore.Profile));
        using IEngineModel onAll = allCores.Load(BenchmarkInputs.Commit(model, allCores.Profile));
        using ConnectedDevice device = RuntimeDevices.Registry.Open("cpu");
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, device.Session.Profile));
        var outputs = new int[expected.Length];
        foreach (IEngineModel prepared in new[] { onOne, onAll })
        {
            prepared.Run(pixels, Images, outputs);
            if (!outputs.AsSpan().SequenceEqual(expected))
            {
                Console.WriteLine("FAILED: the cpu device's outputs differ from the dense integer reference");
                return false;
            }
        }

        if (!device.Session.Infer(deployed, pixels, Images).Outputs.AsSpan().SequenceEqual(expected))
        {
            Console.WriteLine("FAILED: the cpu device's outputs through the link differ from the reference");
            return false;
        }

        string args = $"{model.InputSize} {Images} {Environment.ProcessorCount}";
        var rounds = new List<double[]>();
        string torchVersion = "";
        for (int round = 0; round < Rounds; round++)
        {
            double one = Images / Timing.Median(() => onOne.Run(pixels, Images, outputs));
            double all = Images / Timing.Median(() => onAll.Run(pixels, Images, outputs));
            double link = Images / Timing.Median(() => device.Session.Infer(deployed, pixels, Images).Cycles / (double)DeviceProfile.NanosecondClockHz, measured: true);
            Dictionary<string, string>? torch = python is null ? null : PythonAnchor.RunText(python, TorchScript, args.Split(' '));
            if (torch is null)
            {
                rounds.Add([one, all, link, double.NaN, double.NaN]);
                continue;
            }

            torchVersion = torch["version"];
            rounds.Add([one, all, link, PythonAnchor.Number(torch["images_per_s_1"]), PythonAnchor.Number(torch["images_per_s_all"])]);
        }

        double At(int column) => Timing.MedianOf(rounds.Select(r => r[column]));
        Console.WriteLine($"  images/s, median of {Rounds} alternating rounds:");
        Console.WriteLine($"  {"cpu device, one batch of " + Images.ToString("N0", CultureInfo.InvariantCulture) + ", 1 core, bit-exact",-74} {At(0),12:N0}");
        Console.WriteLine($"  {"cpu device, one batch of " + Images.ToString("N0", CultureInfo.InvariantCulture) + $", {allCores.Threads} cores, bit-exact",-74} {At(1),12:N0}");
        Console.WriteLine($"  {"cpu device through the link (frames of 65,535 bytes), compute only, " + allCores.Threads + " cores",-74} {At(2),12:N0}");
        if (python is null || double.IsNaN(At(3)))
        {
            Console.WriteLine("  PyTorch anchor NOT RUN: no python3 with torch and scipy (Debian: apt-get install python3-torch python3-scipy)");
            return true;
        }

        Console.WriteLine($"  {"PyTorch " + torchVersion + " int8 quantize_dynamic (fbgemm), batch " + Images.ToString("N0", CultureInfo.InvariantCulture) + ", 1 thread",-74} {At(3),12:N0}");
        Console.WriteLine($"  {"PyTorch int8 quantize_dynamic, " + Environment.ProcessorCount + " threads",-74} {At(4),12:N0}");
        Console.WriteLine($"  ratio cpu device / PyTorch int8, all cores: {Timing.MedianOf(rounds.Select(r => r[1] / r[4])):0.00}x (goal >= 1.5x; rounds: {string.Join(", ", rounds.Select(r => (r[1] / r[4]).ToString("0.00", CultureInfo.InvariantCulture)))}); one core: {Timing.MedianOf(rounds.Select(r => r[0] / r[3])):0.00}x");
        return true;
    }

    private static bool RunSpmv(string? python)
    {
        Console.WriteLine();
        var matrix = new AnchorMatrix(SpmvSize, SpmvDensity);
        byte[] x = matrix.X;
        long nonzeros = matrix.Nonzeros;
        var layer = new SparseLayer(CcsMatrix.Encode(matrix.Indices, SpmvSize, SpmvSize, 4), matrix.Codebook, new int[SpmvSize], LayerOutput.Raw32, 0, 1f);
        var model = new SparseModel("spmv", SpmvSize, [layer]);
        int[] expected = new DenseIntegerReference(model).Forward(x);
        Console.WriteLine($"SpMV {SpmvSize} x {SpmvSize}, {nonzeros:N0} nonzeros ({matrix.Density:P1}), one vector of {SpmvSize} activations, all nonzero");

        using var oneCore = new CpuEngine(threads: 1);
        using var allCores = new CpuEngine();
        using IEngineModel onOne = oneCore.Load(BenchmarkInputs.Commit(model, oneCore.Profile));
        using IEngineModel onAll = allCores.Load(BenchmarkInputs.Commit(model, allCores.Profile));
        var y = new int[SpmvSize];
        foreach (IEngineModel prepared in new[] { onOne, onAll })
        {
            prepared.Run(x, 1, y);
            if (!y.AsSpan().SequenceEqual(expected))
            {
                Console.WriteLine("FAILED: the cpu device's SpMV differs from the dense integer reference");
                return false;
            }
        }

        string folder = Directory.CreateTempSubdirectory("codesign-spmv-").FullName;
        var rounds = new List<double[]>();
        string scipyVersion = "";
        try
        {
            matrix.WriteCsr(folder, x, expected);
            for (int round = 0; round < Rounds; round++)
            {
                double one = Timing.Median(() => onOne.Run(x, 1, y)) * 1e9 / nonzeros;
                double all = Timing.Median(() => onAll.Run(x, 1, y)) * 1e9 / nonzeros;
                Dictionary<string, string>? scipy = python is null ? null : PythonAnchor.RunText(python, ScipyScript, folder);
                if (scipy is not null && scipy["exact"] != "1")
                {
                    Console.WriteLine("FAILED: scipy's product differs from ours");
                    return false;
                }

                scipyVersion = scipy?["version"] ?? "";
                rounds.Add([one, all, scipy is null ? double.NaN : PythonAnchor.Number(scipy["ns_per_nonzero"])]);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        double At(int column) => Timing.MedianOf(rounds.Select(r => r[column]));
        Console.WriteLine($"  ns per nonzero, median of {Rounds} alternating rounds:");
        Console.WriteLine($"  {"cpu device, CCS image decoded to 128-column lookup rows, 1 core, bit-exact",-74} {At(0),8:0.000}");
        Console.WriteLine($"  {"cpu device, the same, rows over " + allCores.Threads + " cores",-74} {At(1),8:0.000}");
        if (double.IsNaN(At(2)))
        {
            Console.WriteLine("  scipy anchor NOT RUN: no python3 with torch and scipy (Debian: apt-get install python3-torch python3-scipy)");
            return true;
        }

        Console.WriteLine($"  {"scipy " + scipyVersion + " CSR int32 (1 thread), same matrix and vector, same result",-74} {At(2),8:0.000}");
        Console.WriteLine($"  ratio scipy / cpu device, one core: {Timing.MedianOf(rounds.Select(r => r[2] / r[0])):0.00}x (goal >= 1.5x; rounds: {string.Join(", ", rounds.Select(r => (r[2] / r[0]).ToString("0.00", CultureInfo.InvariantCulture)))}); all cores: {Timing.MedianOf(rounds.Select(r => r[2] / r[1])):0.00}x");
        return true;
    }

    private const string TorchScript = """
        import sys, time, statistics, torch
        from torch import nn
        inputs, images, cores = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(inputs, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)).eval()
        quantized = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
        x = torch.rand(images, inputs)
        print("version=" + torch.__version__)
        for threads, key in ((1, "images_per_s_1"), (cores, "images_per_s_all")):
            torch.set_num_threads(threads)
            with torch.inference_mode():
                for _ in range(3):
                    quantized(x)
                times = []
                for _ in range(7):
                    start = time.perf_counter()
                    quantized(x)
                    times.append(time.perf_counter() - start)
            print(f"{key}={images / statistics.median(times)}")
        """;

    private const string ScipyScript = """
        import sys, os, time, statistics, numpy as np, scipy, scipy.sparse
        d = sys.argv[1]
        n = int(open(os.path.join(d, "shape")).read().split()[0])
        load = lambda name: np.fromfile(os.path.join(d, name), dtype=np.int32)
        a = scipy.sparse.csr_matrix((load("data.bin"), load("indices.bin"), load("indptr.bin")), shape=(n, n))
        x, expected = load("x.bin"), load("y.bin")
        y = a @ x
        print("version=" + scipy.__version__)
        print(f"exact={int(y.dtype == np.int32 and np.array_equal(y, expected))}")
        calls = 1
        while True:
            start = time.perf_counter()
            for _ in range(calls):
                a @ x
            if time.perf_counter() - start > 0.1:
                break
            calls *= 2
        times = []
        for _ in range(7):
            start = time.perf_counter()
            for _ in range(calls):
                a @ x
            times.append((time.perf_counter() - start) / calls)
        print(f"ns_per_nonzero={statistics.median(times) * 1e9 / a.nnz}")
        """;
}
