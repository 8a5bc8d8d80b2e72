using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Devices;

namespace CoDesign.Benchmarks.Devices;

/// <summary>What the device benchmarks run on: the shipped model, the test images, a model as a device commits it.</summary>
internal static class BenchmarkInputs
{
    /// <summary>
    /// The shipped model: next to the binary under <c>models/</c> (a published benchmark), else in the
    /// checkout above it.
    /// </summary>
    public static string ShippedModelPath() => Beside(Path.Combine("models", "fashion-mnist-mlp.cdsm"), Path.Combine("host", "models", "fashion-mnist-mlp.cdsm"));

    /// <summary>A file next to the binary (a published benchmark), else at <paramref name="inCheckout"/> in the checkout above it.</summary>
    public static string Beside(string besideBinary, string inCheckout)
    {
        string beside = Path.Combine(AppContext.BaseDirectory, besideBinary);
        return File.Exists(beside) ? beside : Path.Combine(RepositoryRoot(), inCheckout);
    }

    /// <summary>
    /// <paramref name="count"/> test images of <paramref name="size"/> pixels and their labels from the
    /// Fashion-MNIST test set in <paramref name="folder"/> (Debian's by default), or random images without
    /// labels when it is not there; the text says which.
    /// </summary>
    public static (byte[] Pixels, byte[]? Labels, string Source) TestImages(int count, int size, string? folder = null)
    {
        try
        {
            LabeledImages test = FashionMnist.LoadTest(folder);
            if (test.ImageSize == size && test.Count >= count)
            {
                LabeledImages taken = test.Take(count);
                return (taken.Pixels, taken.Labels, "the Fashion-MNIST test images");
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // Fall through to random images of the same size.
        }

        var pixels = new byte[count * size];
        new Random(1).NextBytes(pixels);
        return (pixels, null, "RANDOM images (the Fashion-MNIST test set was not found)");
    }

    /// <summary>
    /// The model as a device with <paramref name="profile"/> reads it back from its weight memory, the
    /// image written at address 0 of <paramref name="memory"/> first when given (as DMA would put it there).
    /// </summary>
    public static CommittedModel Commit(SparseModel model, DeviceProfile profile, IWeightMemory? memory = null)
    {
        byte[] bytes = ModelCompiler.Compile(model, profile).ToMemoryBytes();
        memory?.Write(0, bytes);
        return CommittedModel.Read(bytes, profile.BusBits, 0, out string? error)
            ?? throw new InvalidOperationException($"the compiled image does not read back: {error}");
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

        throw new DirectoryNotFoundException("run the benchmark from a checkout (CoDesign.sln not found above the binary), or publish it with its models/ folder");
    }
}
