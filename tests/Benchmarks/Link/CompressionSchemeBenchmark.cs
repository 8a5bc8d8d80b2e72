using System.Diagnostics;
using System.Globalization;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Link;
using RepositoryFiles = CoDesign.Benchmarks.Kernels.RepositoryFiles;

namespace CoDesign.Benchmarks.Link;

/// <summary>
/// <c>--compression</c>: the link's zero-run codec against cDMA-style zero-value compression (ZVC)
/// on what the link carries: every Fashion-MNIST test image (a Run input) and the shipped model's
/// device image in Write-sized pieces. Bytes after compression and byte stuffing, and host encode
/// time. Both codecs are checked to round-trip on every input.
/// </summary>
internal static class CompressionSchemeBenchmark
{
    public static int Run()
    {
        LabeledImages test = FashionMnist.LoadTest();
        SparseModel model = ModelFile.Read(Path.Combine(RepositoryFiles.Root, "host", "models", "fashion-mnist-mlp.cdsm"));
        byte[] image = ImageBytes(ModelCompiler.Compile(model, Runtime.DeviceProfile.EmulatorDefault));
        List<byte[]> inputs = [.. Enumerable.Range(0, test.Count).Select(i => test.Image(i).ToArray())];
        List<byte[]> pieces = [.. image.Chunk(4096 - 8 - 16)];
        long zeros = inputs.Sum(x => (long)x.Count(b => b == 0));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Fashion-MNIST test inputs: {inputs.Count:N0} x {test.ImageSize} bytes, {zeros / (double)(inputs.Count * test.ImageSize):P1} zero; device image {image.Length:N0} bytes, {image.Count(b => b == 0) / (double)image.Length:P1} zero"));
        Console.WriteLine("data                      scheme     bytes/unit  stuffed  ratio   encode ns/byte   (per-piece best of raw and the scheme)");
        foreach ((string name, List<byte[]> units) in new[] { ("Run inputs (per image)", inputs), ("device image (4 KiB writes)", pieces) })
        {
            long raw = units.Sum(u => (long)u.Length);
            Report(name, "raw", units, u => u, raw);
            Report(name, "zero-run", units, u => ZeroRunCodec.Encode(u), raw, (u, e) => ZeroRunCodec.TryDecode(e, u.Length, out byte[] d, out _) && d.AsSpan().SequenceEqual(u));
            Report(name, "ZVC", units, u => ZeroValueCodec.Encode(u), raw, (u, e) => ZeroValueCodec.Decode(e, u.Length).AsSpan().SequenceEqual(u));
        }

        return 0;
    }

    private static void Report(string data, string scheme, List<byte[]> units, Func<byte[], byte[]> encode, long raw, Func<byte[], byte[], bool>? roundTrips = null)
    {
        // Warm up, then time all units.
        foreach (byte[] u in units)
        {
            encode(u);
        }

        var clock = Stopwatch.StartNew();
        List<byte[]> encoded = [.. units.Select(encode)];
        clock.Stop();
        if (roundTrips is not null && units.Where((u, i) => !roundTrips(u, encoded[i])).Any())
        {
            throw new InvalidOperationException($"{scheme} does not round-trip on {data}");
        }

        long bytes = encoded.Select((e, i) => (long)Math.Min(e.Length, units[i].Length)).Sum();
        long stuffed = encoded.Sum(e => (long)e.Length + e.Count(b => b is FrameCodec.Flag or FrameCodec.Escape));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{data,-26}{scheme,-11}{encoded.Sum(e => (double)e.Length) / units.Count,10:F1}{stuffed / (double)units.Count,9:F1}{raw / (double)encoded.Sum(e => (long)e.Length),7:F3}{clock.Elapsed.TotalNanoseconds / raw,12:F2}      {raw / (double)bytes:F3}"));
    }

    private static byte[] ImageBytes(DeviceImage image)
    {
        var bytes = new byte[image.ImageBytes];
        foreach (ImageChunk chunk in image.Chunks)
        {
            chunk.Payload!.CopyTo(bytes, chunk.Descriptor.Address);
        }

        return bytes;
    }
}
