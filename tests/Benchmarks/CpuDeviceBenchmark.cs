using System.Diagnostics;
using System.Globalization;
using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Cpu;

namespace CoDesign.Benchmarks;

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
    private const int Repetitions = 7;
    private const int Rounds = 3;
    private const int SpmvSize = 4096;
    private const double SpmvDensity = 0.10;

    public static int Run()
    {
        string? python = FindPython();
        Console.WriteLine($"cpu device benchmark: {Environment.ProcessorCount} logical cores, kernel path {new CpuEngine().Path}; anchors: {python ?? "none (no python3 with torch and scipy)"}");
        bool ok = RunModel(python);
        ok &= RunSpmv(python);
        return ok ? 0 : 1;
    }

    private static bool RunModel(string? python)
    {
        SparseModel model = ModelFile.Read(Path.Combine(RepositoryRoot(), "host", "models", "fashion-mnist-mlp.cdsm"));
        (byte[] pixels, string source) = TestImages(model.InputSize);
        Console.WriteLine();
        Console.WriteLine($"MLP {model.InputSize}-{string.Join("-", model.Layers.Select(l => l.Rows))} ({model.Name}), {Images:N0} images: {source}");

        var reference = new DenseIntegerReference(model);
        int[] expected = new int[Images * model.OutputSize];
        Parallel.For(0, Images, i => reference.Forward(pixels.AsSpan(i * model.InputSize, model.InputSize)).CopyTo(expected, i * model.OutputSize));

        // Ours and the anchor alternate for a few rounds: this machine is shared, so each round's ratio compares like with like.
        using var oneCore = new CpuEngine(threads: 1);
        using var allCores = new CpuEngine();
        using IEngineModel onOne = oneCore.Load(Commit(model, oneCore.Profile));
        using IEngineModel onAll = allCores.Load(Commit(model, allCores.Profile));
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
            double one = Images / Median(() => onOne.Run(pixels, Images, outputs));
            double all = Images / Median(() => onAll.Run(pixels, Images, outputs));
            double link = Images / Median(() => device.Session.Infer(deployed, pixels, Images).Cycles / (double)DeviceProfile.NanosecondClockHz, measured: true);
            Dictionary<string, string>? torch = python is null ? null : RunPython(python, TorchScript, args.Split(' '));
            if (torch is null)
            {
                rounds.Add([one, all, link, double.NaN, double.NaN]);
                continue;
            }

            torchVersion = torch["version"];
            rounds.Add([one, all, link, Number(torch["images_per_s_1"]), Number(torch["images_per_s_all"])]);
        }

        double At(int column) => MedianOf(rounds.Select(r => r[column]));
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
        Console.WriteLine($"  ratio cpu device / PyTorch int8, all cores: {MedianOf(rounds.Select(r => r[1] / r[4])):0.00}x (goal >= 1.5x; rounds: {string.Join(", ", rounds.Select(r => (r[1] / r[4]).ToString("0.00", CultureInfo.InvariantCulture)))}); one core: {MedianOf(rounds.Select(r => r[0] / r[3])):0.00}x");
        return true;
    }

    private static bool RunSpmv(string? python)
    {
        Console.WriteLine();
        var random = new Random(2026);
        var codebook = new short[CcsEntry.CodebookSize];
        var used = new HashSet<short> { 0 };
        for (int c = 1; c < codebook.Length; c++)
        {
            short value;
            do
            {
                value = (short)random.Next(-4096, 4096);
            }
            while (!used.Add(value));
            codebook[c] = value;
        }

        var indices = new byte[SpmvSize * SpmvSize];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = random.NextDouble() < SpmvDensity ? (byte)random.Next(1, 16) : (byte)0;
        }

        // Every activation nonzero: the EIE format's zero skipping earns nothing here, scipy and we do the same work.
        var x = new byte[SpmvSize];
        for (int j = 0; j < x.Length; j++)
        {
            x[j] = (byte)random.Next(1, 256);
        }

        long nonzeros = indices.LongCount(v => v != 0);
        var layer = new SparseLayer(CcsMatrix.Encode(indices, SpmvSize, SpmvSize, 4), codebook, new int[SpmvSize], LayerOutput.Raw32, 0, 1f);
        var model = new SparseModel("spmv", SpmvSize, [layer]);
        int[] expected = new DenseIntegerReference(model).Forward(x);
        Console.WriteLine($"SpMV {SpmvSize} x {SpmvSize}, {nonzeros:N0} nonzeros ({nonzeros / (double)indices.Length:P1}), one vector of {SpmvSize} activations, all nonzero");

        using var oneCore = new CpuEngine(threads: 1);
        using var allCores = new CpuEngine();
        using IEngineModel onOne = oneCore.Load(Commit(model, oneCore.Profile));
        using IEngineModel onAll = allCores.Load(Commit(model, allCores.Profile));
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
            WriteCsr(folder, indices, codebook, x, expected);
            for (int round = 0; round < Rounds; round++)
            {
                double one = Median(() => onOne.Run(x, 1, y)) * 1e9 / nonzeros;
                double all = Median(() => onAll.Run(x, 1, y)) * 1e9 / nonzeros;
                Dictionary<string, string>? scipy = python is null ? null : RunPython(python, ScipyScript, folder);
                if (scipy is not null && scipy["exact"] != "1")
                {
                    Console.WriteLine("FAILED: scipy's product differs from ours");
                    return false;
                }

                scipyVersion = scipy?["version"] ?? "";
                rounds.Add([one, all, scipy is null ? double.NaN : Number(scipy["ns_per_nonzero"])]);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        double At(int column) => MedianOf(rounds.Select(r => r[column]));
        Console.WriteLine($"  ns per nonzero, median of {Rounds} alternating rounds:");
        Console.WriteLine($"  {"cpu device, CCS image decoded to 128-column lookup rows, 1 core, bit-exact",-74} {At(0),8:0.000}");
        Console.WriteLine($"  {"cpu device, the same, rows over " + allCores.Threads + " cores",-74} {At(1),8:0.000}");
        if (double.IsNaN(At(2)))
        {
            Console.WriteLine("  scipy anchor NOT RUN: no python3 with torch and scipy (Debian: apt-get install python3-torch python3-scipy)");
            return true;
        }

        Console.WriteLine($"  {"scipy " + scipyVersion + " CSR int32 (1 thread), same matrix and vector, same result",-74} {At(2),8:0.000}");
        Console.WriteLine($"  ratio scipy / cpu device, one core: {MedianOf(rounds.Select(r => r[2] / r[0])):0.00}x (goal >= 1.5x; rounds: {string.Join(", ", rounds.Select(r => (r[2] / r[0]).ToString("0.00", CultureInfo.InvariantCulture)))}); all cores: {MedianOf(rounds.Select(r => r[2] / r[1])):0.00}x");
        return true;
    }

    /// <summary>The model as the device reads it back from its weight memory.</summary>
    private static CommittedModel Commit(SparseModel model, DeviceProfile profile)
    {
        DeviceImage image = ModelCompiler.Compile(model, profile);
        return CommittedModel.Read(image.ToMemoryBytes(), profile.BusBits, 0, out string? error)
            ?? throw new InvalidOperationException($"the compiled image does not read back: {error}");
    }

    /// <summary>Median seconds of one call, over <see cref="Repetitions"/> timed batches after a warm-up.</summary>
    private static double Median(Action run) => Median(() =>
    {
        run();
        return 0;
    }, measured: false);

    /// <summary>
    /// Median seconds of one call over <see cref="Repetitions"/> timed batches after a warm-up: by the wall
    /// clock, or when <paramref name="measured"/> the seconds each call reports itself.
    /// </summary>
    private static double Median(Func<double> run, bool measured)
    {
        TimeSpan least = TimeSpan.FromMilliseconds(200);
        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (clock.Elapsed < least)
        {
            run();
            calls++;
        }

        var times = new double[Repetitions];
        for (int r = 0; r < Repetitions; r++)
        {
            clock.Restart();
            double reported = 0;
            for (int c = 0; c < calls; c++)
            {
                reported += run();
            }

            times[r] = (measured ? reported : clock.Elapsed.TotalSeconds) / calls;
        }

        Array.Sort(times);
        return times[Repetitions / 2];
    }

    private static double MedianOf(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static (byte[] Pixels, string Source) TestImages(int size)
    {
        try
        {
            LabeledImages test = FashionMnist.LoadTest();
            if (test.ImageSize == size && test.Count >= Images)
            {
                return (test.Take(Images).Pixels, "the Fashion-MNIST test images");
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // Fall through to random images of the same size.
        }

        var pixels = new byte[Images * size];
        new Random(1).NextBytes(pixels);
        return (pixels, "RANDOM images (the Fashion-MNIST test set was not found)");
    }

    /// <summary>CSR arrays of the matrix in int32 (its values, not indices), the vector and our result, as raw little-endian files for numpy.</summary>
    private static void WriteCsr(string folder, byte[] indices, short[] codebook, byte[] x, int[] y)
    {
        var rowPointers = new List<int> { 0 };
        var columns = new List<int>();
        var values = new List<int>();
        for (int r = 0; r < SpmvSize; r++)
        {
            for (int c = 0; c < SpmvSize; c++)
            {
                byte v = indices[(r * SpmvSize) + c];
                if (v != 0)
                {
                    columns.Add(c);
                    values.Add(codebook[v]);
                }
            }

            rowPointers.Add(columns.Count);
        }

        static void Write(string path, IEnumerable<int> data) => File.WriteAllBytes(path, [.. data.SelectMany(BitConverter.GetBytes)]);
        Write(Path.Combine(folder, "indptr.bin"), rowPointers);
        Write(Path.Combine(folder, "indices.bin"), columns);
        Write(Path.Combine(folder, "data.bin"), values);
        Write(Path.Combine(folder, "x.bin"), x.Select(v => (int)v));
        Write(Path.Combine(folder, "y.bin"), y);
        File.WriteAllText(Path.Combine(folder, "shape"), SpmvSize.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The first of python3 on the PATH and Debian's /usr/bin/python3 that imports numpy; null when neither does.</summary>
    private static string? FindPython()
    {
        foreach (string candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                using Process? probe = Process.Start(new ProcessStartInfo(candidate, ["-c", "import numpy"]) { RedirectStandardError = true });
                if (probe is not null && probe.WaitForExit(60_000) && probe.ExitCode == 0 && HasModules(candidate))
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed; try the next.
            }
        }

        return null;
    }

    private static bool HasModules(string python)
    {
        using Process probe = Process.Start(new ProcessStartInfo(python, ["-c", "import torch, scipy"]) { RedirectStandardError = true })!;
        return probe.WaitForExit(120_000) && probe.ExitCode == 0;
    }

    /// <summary>Runs <paramref name="script"/>; its <c>key=value</c> lines, or null (with its error shown) when it failed.</summary>
    private static Dictionary<string, string>? RunPython(string python, string script, params string[] args)
    {
        string file = Path.Combine(Path.GetTempPath(), $"codesign-anchor-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, script);
        try
        {
            using Process process = Process.Start(new ProcessStartInfo(python, [file, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Console.WriteLine($"  anchor failed ({python}, exit {process.ExitCode}): {error.Result.Trim().Split('\n').LastOrDefault()}");
                return null;
            }

            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('=', 2))
                .Where(kv => kv.Length == 2)
                .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string RepositoryRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "CoDesign.sln")))
            {
                return dir;
            }
        }

        throw new DirectoryNotFoundException("run the benchmark from a checkout (CoDesign.sln not found above the binary)");
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
        n = int(open(os.path.join(d, "shape")).read())
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
