using System.Globalization;
using System.Text;
using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Model.Datasets;

namespace CoDesign.Hardware.Tests.Compute;

/// <summary>Runs the compute-datapath benches of <c>hardware/tb</c> and speaks their file formats.</summary>
internal static class ComputeBench
{
    /// <summary>Writes a <c>$readmemh</c> file: one value per line, <paramref name="digits"/> hex digits each (an empty list gets one zero line).</summary>
    public static void WriteHex(BenchFolder folder, string file, IEnumerable<ulong> values, int digits)
    {
        var text = new StringBuilder();
        string format = "x" + digits.ToString(CultureInfo.InvariantCulture);
        foreach (ulong value in values)
        {
            text.Append(value.ToString(format, CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(System.IO.Path.Combine(folder.Path, file), text.Length == 0 ? new string('0', digits) + "\n" : text.ToString());
    }

    /// <summary><paramref name="count"/> codebook indices of a weight matrix, each nonzero (1..15) with probability <paramref name="density"/>.</summary>
    public static byte[] RandomIndices(Random random, int count, double density)
    {
        var indices = new byte[count];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = random.NextDouble() < density ? (byte)random.Next(1, 16) : (byte)0;
        }

        return indices;
    }

    /// <summary>
    /// The PE kernel as compiled_pe.v holds it (hardware/rtl/generated/sparse_mat_vec_multiply_accumulate.v):
    /// <c>SparseMatVec.MultiplyAccumulate</c> with a stall input for 44 MHz.
    /// </summary>
    public static Lazy<CompiledKernel> CompiledPe { get; } = new(() => KernelCompiler.KernelCompiler.Compile(
        KernelSource.Load(Path.Combine(HardwareSources.Root, "..", "kernels", "SparseMatVec.cs")), "SparseMatVec.MultiplyAccumulate", new CompileOptions { ClockMhz = 44, Stall = true }));

    /// <summary>The call of <paramref name="kernel"/> (the PE kernel) on <paramref name="slice"/> for activations <paramref name="x"/>, <paramref name="rows"/> accumulators at zero.</summary>
    public static KernelCall PeCall(CompiledKernel kernel, CcsSlice slice, short[] codebook, byte[] x, int rows) =>
        KernelArguments.Parse(kernel.Signature, [
            "entries=" + string.Join(",", slice.Entries), "pointers=" + string.Join(",", slice.Pointers), "codebook=" + string.Join(",", codebook),
            "x=" + string.Join(",", x), "acc=" + string.Join(",", new int[rows])]);

    /// <summary>
    /// The shipped model's first two layers with their inputs for the first <paramref name="images"/> test
    /// images: layer 0 takes the pixels, layer 1 layer 0's requantized outputs, computed with the kernels.
    /// </summary>
    public static List<(SparseLayer Layer, List<byte[]> Inputs, string Name)> ShippedLayers(int images)
    {
        SparseModel model = ModelFile.Read(Path.Combine(HardwareSources.Root, "..", "host", "models", "fashion-mnist-mlp.cdsm"));
        LabeledImages test = FashionMnist.LoadTest();
        var pixels = Enumerable.Range(0, images).Select(i => test.Image(i).ToArray()).ToList();
        SparseLayer first = model.Layers[0];
        var hidden = pixels.Select(image => LayerOutputs(first, image)).ToList();
        return [(first, pixels, "layer 0"), (model.Layers[1], hidden, "layer 1")];
    }

    /// <summary>Runs the bench <paramref name="top"/> in <paramref name="folder"/>; see <see cref="BenchFolder.Run"/>.</summary>
    public static List<string> Run(string top, IEnumerable<string> rtl, BenchFolder folder, IReadOnlyDictionary<string, string>? parameters = null, IEnumerable<string>? libraries = null) =>
        folder.Run(top, rtl, parameters, libraries);

    /// <summary>Lines that start with the word <paramref name="prefix"/>.</summary>
    public static List<string> Only(IEnumerable<string> lines, string prefix) =>
        lines.Where(l => l.StartsWith(prefix + " ", StringComparison.Ordinal)).ToList();

    /// <summary>Parameter values as the harness wants them.</summary>
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Hex8(int value) => unchecked((uint)value).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Bits needed to address <paramref name="count"/> things (at least 1).</summary>
    public static int BitsFor(long count)
    {
        int bits = 1;
        while ((1L << bits) < count)
        {
            bits++;
        }

        return bits;
    }

    /// <summary>A layer's 8-bit outputs, by the kernels: every PE's product, scatter, bias, ReLU and requantization.</summary>
    public static byte[] LayerOutputs(SparseLayer layer, byte[] x)
    {
        int peCount = layer.Weights.PeCount;
        var acc = new int[layer.Rows];
        for (int pe = 0; pe < peCount; pe++)
        {
            CcsSlice slice = layer.Weights.Slices[pe];
            var local = new int[CcsEncoder.LocalRowCount(layer.Rows, peCount, pe)];
            SparseMatVec.MultiplyAccumulate(slice.Entries, slice.Pointers, layer.Codebook, x, local);
            SparseMatVec.ScatterRows(local, peCount, pe, acc);
        }

        Requantizer.AddBias(acc, layer.Bias);
        var activations = new byte[layer.Rows];
        Requantizer.ReluShiftSaturate(acc, layer.OutputShift, activations);
        return activations;
    }
}
