using System.Diagnostics;
using System.Globalization;
using CoDesign.Gpu;
using CoDesign.Gpu.Inference;
using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using ILGPU;
using ILGPU.Runtime;

namespace CoDesign.Benchmarks.Devices;

/// <summary>
/// The gpu device against its anchors in one run (issue 10, item 7), on whatever accelerator ILGPU
/// opens: the shipped model on the test images through the device link, bit for bit against the dense
/// integer reference; images/s of the engine alone at batch sizes 1 to 65,536 (each batch checked);
/// single-vector SpMV split over rows and batched SpMV on a 4096 x 4096 matrix at 10 % density. The
/// anchors (PyTorch's dense float32 MLP of the same weights, cuSPARSE CSR through CuPy, PyTorch's sparse
/// CSR) run in python3 (tests/gpu/anchors.py) on the same GPU; a missing anchor is said, not hidden.
/// tests/gpu/measure.sh runs this from a self-contained publish on a machine without .NET.
/// </summary>
public static class GpuDeviceBenchmark
{
    private static readonly int[] SliceCounts = [256, 1024, 4096];

    private static readonly CoDesign.Runtime.Devices.DeviceRegistry GpuRegistry = RuntimeDevices.Registry.With(GpuDevices.Registrations);

    /// <summary>Runs the benchmark; <paramref name="args"/> are the options after <c>--gpu-device</c>.</summary>
    public static int Run(string[] args)
    {
        Options? options = Options.Parse(args);
        if (options is null)
        {
            return 2;
        }

        string? python = options.Python is "none" ? null : PythonAnchor.Find("torch", options.Python is null ? [] : [options.Python]);
        string anchors = options.Anchors ?? BenchmarkInputs.Beside("anchors.py", Path.Combine("tests", "gpu", "anchors.py"));
        string folder = Directory.CreateTempSubdirectory("codesign-gpu-").FullName;
        try
        {
            using GpuEngine? engine = Open(options.Accelerator);
            if (engine is null)
            {
                return 2;
            }

            Console.WriteLine($"gpu device benchmark: accelerator {engine.AcceleratorKind} ({engine.Accelerator.Name}, {engine.Accelerator.MemorySize / (1024.0 * 1024 * 1024):0.0} GiB); host {Environment.ProcessorCount} logical cores");
            Console.WriteLine($"  anchors: {(python is null ? "NOT RUN (no python3 with numpy and torch)" : $"{python} {anchors}")}");
            bool ok = RunModel(options, engine, python, anchors, folder);
            ok &= RunSpmv(options, engine, python, anchors, folder);
            Console.WriteLine(ok ? "gpu device benchmark: every output of ours bit-exact" : "gpu device benchmark: FAILED");
            return ok ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool RunModel(Options options, GpuEngine engine, string? python, string anchors, string folder)
    {
        SparseModel model = ModelFile.Read(options.Model ?? BenchmarkInputs.ShippedModelPath());
        (byte[] pixels, byte[]? labels, string source) = BenchmarkInputs.TestImages(options.Images, model.InputSize, options.Data);
        Console.WriteLine();
        Console.WriteLine($"MLP {model.InputSize}-{string.Join("-", model.Layers.Select(l => l.Rows))} ({model.Name}), {options.Images:N0} images: {source}");
        var reference = new DenseIntegerReference(model);
        var expected = new int[options.Images * model.OutputSize];
        Parallel.For(0, options.Images, i => reference.Forward(pixels.AsSpan(i * model.InputSize, model.InputSize)).CopyTo(expected, i * model.OutputSize));

        // 1. The device as a user has it: opened by name, the model deployed over the framed link.
        var clock = Stopwatch.StartNew();
        using (ConnectedDevice device = GpuRegistry.Open(options.Accelerator == "auto" ? "gpu" : $"gpu:{options.Accelerator}"))
        {
            DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, device.Session.Profile));
            int[] linked = device.Session.Infer(deployed, pixels, options.Images).Outputs;
            int same = CountSameImages(linked, expected, model.OutputSize);
            Console.WriteLine($"  through the device link: {same:N0} of {options.Images:N0} images bit-exact, accuracy {Accuracy(linked, labels, model.OutputSize)} ({clock.Elapsed.TotalSeconds:0.0} s)");
            if (same != options.Images)
            {
                return false;
            }
        }

        // 2. The engine alone at each batch size: upload, layers, download; every batch checked first.
        using IEngineModel prepared = engine.Load(BenchmarkInputs.Commit(model, engine.Profile, engine.Memory));
        int[] batches = [.. Batches(options.MaxBatch)];
        byte[] inputs = Cycle(pixels, model.InputSize, batches[^1]);
        int[] cycled = Cycle(expected, model.OutputSize, batches[^1]);
        var outputs = new int[cycled.Length];
        var ours = new Dictionary<int, double>();
        foreach (int batch in batches)
        {
            prepared.Run(inputs, batch, outputs);
            if (!outputs.AsSpan(0, batch * model.OutputSize).SequenceEqual(cycled.AsSpan(0, batch * model.OutputSize)))
            {
                Console.WriteLine($"FAILED: batch {batch}: the gpu engine's outputs differ from the dense integer reference");
                return false;
            }

            ours[batch] = batch / Timing.Median(() => prepared.Run(inputs, batch, outputs).Cycles / (double)engine.Profile.ClockHz, measured: true, TimeSpan.FromMilliseconds(100));
        }

        Dictionary<string, string>? torch = null;
        if (python is not null && labels is not null)
        {
            WriteModel(folder, model, pixels, labels, expected);
            torch = PythonAnchor.RunFile(python, anchors, "mlp", folder, string.Join(",", batches));
        }

        Console.WriteLine($"  images/s of the engine alone (upload, every layer, download), median of {Timing.Repetitions}; every batch bit-exact:");
        Console.WriteLine($"  {"batch",8} {"gpu device",14} {(torch is null ? string.Empty : $"{"PyTorch " + torch["device"] + " float32",22} {"ratio",7}")}");
        foreach (int batch in batches)
        {
            string anchor = torch is null ? string.Empty : $"{PythonAnchor.Number(torch[$"images_per_s_{batch}"]),22:N0} {ours[batch] / PythonAnchor.Number(torch[$"images_per_s_{batch}"]),6:0.00}x";
            Console.WriteLine($"  {batch,8:N0} {ours[batch],14:N0} {anchor}");
        }

        if (torch is null)
        {
            Console.WriteLine($"  PyTorch anchor NOT RUN: {(labels is null ? "no labelled test images" : python is null ? "no python3 with numpy and torch" : "the anchor script failed (above)")}");
            return true;
        }

        Console.WriteLine($"  PyTorch {torch["version"]} on {torch["device"]}: the same weights dense in float32, accuracy {PythonAnchor.Number(torch["accuracy"]):0.0000} against ours {Accuracy(expected, labels, model.OutputSize)}; {PythonAnchor.Number(torch["agree"]):N0} of {options.Images:N0} classes agree with ours");
        int largest = batches[^1];
        Console.WriteLine($"  ratio gpu device / PyTorch at batch {largest:N0}: {ours[largest] / PythonAnchor.Number(torch[$"images_per_s_{largest}"]):0.00}x (goal >= 1x at equal accuracy)");
        return true;
    }

    private static bool RunSpmv(Options options, GpuEngine engine, string? python, string anchors, string folder)
    {
        var matrix = new AnchorMatrix(options.SpmvSize, 0.10);
        Console.WriteLine();
        Console.WriteLine($"SpMV {matrix.Size} x {matrix.Size}, {matrix.Nonzeros:N0} nonzeros ({matrix.Density:P1}); one vector, and a batch of {options.SpmvBatch:N0} vectors, all activations nonzero");
        Accelerator gpu = engine.Accelerator;
        var layer = new SparseLayer(CcsMatrix.Encode(matrix.Indices, matrix.Size, matrix.Size, 1), matrix.Codebook, new int[matrix.Size], LayerOutput.Raw32, 0, 1f);
        var reference = new DenseIntegerReference(new SparseModel("spmv", matrix.Size, [layer]));
        // The first vector is the one the single-vector products and the anchors multiply.
        var random = new Random(7);
        byte[] xs = [.. matrix.X, .. Enumerable.Range(0, (options.SpmvBatch - 1) * matrix.Size).Select(_ => (byte)random.Next(1, 256))];
        var expected = new int[options.SpmvBatch * matrix.Size];
        Parallel.For(0, options.SpmvBatch, v => reference.Forward(xs.AsSpan(v * matrix.Size, matrix.Size)).CopyTo(expected, v * matrix.Size));

        using MemoryBuffer1D<byte, Stride1D.Dense> x = gpu.Allocate1D(xs);
        using MemoryBuffer1D<int, Stride1D.Dense> y = gpu.Allocate1D<int>(expected.Length);
        var single = new Dictionary<int, double>();
        foreach (int slices in SliceCounts.Where(s => s <= matrix.Size))
        {
            using var product = new GpuSlicedSpmv(gpu, CcsMatrix.Encode(matrix.Indices, matrix.Size, matrix.Size, slices), matrix.Codebook);
            ArrayView<byte> vector = x.View.SubView(0, matrix.Size);
            ArrayView<int> result = y.View.SubView(0, matrix.Size);
            product.Multiply(vector, result);
            var computed = new int[matrix.Size];
            result.CopyToCPU(computed);
            if (!computed.AsSpan().SequenceEqual(expected.AsSpan(0, matrix.Size)))
            {
                Console.WriteLine($"FAILED: the single-vector product over {slices} slices differs from the dense integer reference");
                return false;
            }

            single[slices] = Timing.Median(() =>
            {
                product.Multiply(vector, result);
                gpu.Synchronize();
            }) * 1e9 / matrix.Nonzeros;
        }

        // The batch: the inference engine's own launch, one thread per vector over the whole matrix.
        CcsSlice whole = layer.Weights.Slices[0];
        using MemoryBuffer1D<byte, Stride1D.Dense> entries = gpu.Allocate1D(whole.Entries);
        using MemoryBuffer1D<int, Stride1D.Dense> pointers = gpu.Allocate1D(whole.Pointers);
        using MemoryBuffer1D<short, Stride1D.Dense> codebook = gpu.Allocate1D(matrix.Codebook);
        using MemoryBuffer1D<long, Stride1D.Dense> consumed = gpu.Allocate1D<long>(options.SpmvBatch);
        var batched = gpu.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<int>, ArrayView<short>, ArrayView<byte>, ArrayView<int>, int, int, ArrayView<long>>(GpuSpmvBatch.MultiplyAccumulate);
        void Batch()
        {
            y.View.MemSetToZero();
            batched(options.SpmvBatch, entries.View, pointers.View, codebook.View, x.View, y.View, matrix.Size, matrix.Size, consumed.View);
            gpu.Synchronize();
        }

        Batch();
        if (!y.GetAsArray1D().AsSpan().SequenceEqual(expected))
        {
            Console.WriteLine("FAILED: the batched product differs from the dense integer reference");
            return false;
        }

        double perVector = Timing.Median(Batch) * 1e9 / matrix.Nonzeros / options.SpmvBatch;
        int best = single.MinBy(kv => kv.Value).Key;
        Console.WriteLine("  ns per nonzero (per vector for a batch), median of " + Timing.Repetitions + ", data resident on the device; ours bit-exact:");
        foreach ((int slices, double ns) in single)
        {
            Console.WriteLine($"  {"gpu, one vector, rows split over " + slices + " threads (PE slices)",-70} {ns,10:0.0000}");
        }

        Console.WriteLine($"  {"gpu, " + options.SpmvBatch + " vectors, one thread per vector",-70} {perVector,10:0.0000}");
        Dictionary<string, string>? anchor = null;
        if (python is not null)
        {
            matrix.WriteCsr(folder, xs, expected);
            anchor = PythonAnchor.RunFile(python, anchors, "spmv", folder);
        }

        if (anchor is null)
        {
            Console.WriteLine($"  cuSPARSE and PyTorch anchors NOT RUN: {(python is null ? "no python3 with numpy and torch" : "the anchor script failed (above)")}");
            return true;
        }

        bool exact = true;
        foreach ((string name, string what) in new[] { ("cusparse_f32", "cuSPARSE CSR float32 (CuPy)"), ("cusparse_f64", "cuSPARSE CSR float64 (CuPy)"), ("torch_f32", $"PyTorch sparse CSR float32 on {anchor["device"]}") })
        {
            if (!anchor.TryGetValue($"{name}_single", out string? singleNs))
            {
                Console.WriteLine($"  {what}: NOT RUN ({anchor.GetValueOrDefault($"{name}_missing", "not available")})");
                continue;
            }

            double one = PythonAnchor.Number(singleNs);
            double many = PythonAnchor.Number(anchor[$"{name}_batch"]);
            Console.WriteLine($"  {what + ", one vector",-70} {one,10:0.0000}   ours {one / single[best]:0.00}x ({anchor[$"{name}_check"]})");
            Console.WriteLine($"  {what + ", " + options.SpmvBatch + " vectors",-70} {many,10:0.0000}   ours {many / perVector:0.00}x");
            exact &= !anchor[$"{name}_check"].StartsWith("DIFFERS", StringComparison.Ordinal);
        }

        Console.WriteLine($"  goal: >= 2x cuSPARSE CSR on these matrices; ours reads one byte per stored entry, CSR float32 reads eight");
        return exact;
    }

    private static GpuEngine? Open(string accelerator)
    {
        try
        {
            return new GpuEngine(accelerator);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return null;
        }
    }

    /// <summary>1, 4, 16, ... up to <paramref name="largest"/>, which is always included.</summary>
    private static IEnumerable<int> Batches(int largest)
    {
        int batch = 1;
        for (; batch < largest; batch *= 4)
        {
            yield return batch;
        }

        yield return largest;
    }

    /// <summary>The first <paramref name="count"/> records of <paramref name="size"/> values, repeating <paramref name="source"/> as often as needed.</summary>
    private static T[] Cycle<T>(T[] source, int size, int count)
    {
        var result = new T[(long)count * size];
        for (int i = 0; i < count; i++)
        {
            Array.Copy(source, (long)(i % (source.Length / size)) * size, result, (long)i * size, size);
        }

        return result;
    }

    private static int CountSameImages(int[] actual, int[] expected, int size) =>
        Enumerable.Range(0, expected.Length / size).Count(i => actual.AsSpan(i * size, size).SequenceEqual(expected.AsSpan(i * size, size)));

    private static string Accuracy(int[] outputs, byte[]? labels, int size) => labels is null
        ? "unknown (no labels)"
        : (Enumerable.Range(0, labels.Length).Count(i => DenseIntegerReference.ArgMax(outputs.AsSpan(i * size, size)) == labels[i]) / (double)labels.Length).ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>The model as dense integer weights for the PyTorch anchor, with the images, labels and our outputs (raw little-endian files).</summary>
    private static void WriteModel(string folder, SparseModel model, byte[] pixels, byte[] labels, int[] outputs)
    {
        var lines = new List<string>();
        for (int l = 0; l < model.Layers.Count; l++)
        {
            SparseLayer layer = model.Layers[l];
            byte[] indices = layer.Weights.DecodeIndices();
            File.WriteAllBytes(Path.Combine(folder, $"w{l}.bin"), [.. indices.SelectMany(i => BitConverter.GetBytes((int)layer.Codebook[i]))]);
            File.WriteAllBytes(Path.Combine(folder, $"b{l}.bin"), [.. layer.Bias.SelectMany(BitConverter.GetBytes)]);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{layer.Rows} {layer.Cols} {(layer.Output == LayerOutput.Raw32 ? -1 : layer.OutputShift)}"));
        }

        File.WriteAllLines(Path.Combine(folder, "layers"), lines);
        File.WriteAllBytes(Path.Combine(folder, "images.bin"), pixels);
        File.WriteAllBytes(Path.Combine(folder, "labels.bin"), labels);
        File.WriteAllBytes(Path.Combine(folder, "outputs.bin"), [.. outputs.SelectMany(BitConverter.GetBytes)]);
    }

    /// <summary>The benchmark's options.</summary>
    private sealed record Options(string Accelerator, int Images, int MaxBatch, int SpmvSize, int SpmvBatch, string? Model, string? Data, string? Anchors, string? Python)
    {
        public const string Usage = "usage: --gpu-device [--accelerator auto|cuda|opencl|cpu] [--images 1..10000] [--max-batch 1..1048576] [--spmv-size 16..16384] [--spmv-batch 1..65536] [--model FILE.cdsm] [--data FOLDER] [--anchors anchors.py] [--python PATH|none]";

        public static Options? Parse(string[] args)
        {
            var options = new Options("auto", 10_000, 65_536, 4096, 1024, null, null, null, null);
            for (int i = 0; i < args.Length; i++)
            {
                string? value = i + 1 < args.Length ? args[i + 1] : null;
                Options? next = (args[i], value) switch
                {
                    (_, null) => null,
                    ("--accelerator", _) when GpuAccelerators.Choices.Contains(value) => options with { Accelerator = value },
                    ("--images", _) when Whole(value, 1, 10_000) is { } n => options with { Images = n },
                    ("--max-batch", _) when Whole(value, 1, 1 << 20) is { } n => options with { MaxBatch = n },
                    ("--spmv-size", _) when Whole(value, 16, 16_384) is { } n => options with { SpmvSize = n },
                    ("--spmv-batch", _) when Whole(value, 1, 65_536) is { } n => options with { SpmvBatch = n },
                    ("--model", _) => options with { Model = value },
                    ("--data", _) => options with { Data = value },
                    ("--anchors", _) => options with { Anchors = value },
                    ("--python", _) => options with { Python = value },
                    _ => null,
                };
                if (next is null)
                {
                    Console.Error.WriteLine($"error: '{args[i]}{(value is null ? string.Empty : " " + value)}' is not a gpu benchmark option with a valid value; {Usage}");
                    return null;
                }

                options = next;
                i++;
            }

            return options;
        }

        private static int? Whole(string text, int least, int most) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= least && n <= most ? n : null;
    }
}
