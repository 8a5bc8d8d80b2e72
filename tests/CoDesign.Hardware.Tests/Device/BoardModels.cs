using CoDesign.Model;
using CoDesign.TestSupport;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>The Fashion-MNIST models the board tops run in these tests.</summary>
internal static class BoardModels
{
    /// <summary>The shipped model (a 38 KB image) where the board's weight memory holds it, else <see cref="Small"/>.</summary>
    public static SparseModel For(Board board) => board.WeightBytes >= 64 * 1024 ? ModelFile.Read(ShippedModelPath) : Small;

    /// <summary>
    /// A 784-24-10 model in one PE slice whose image fits the HX8K's 8 KiB, for images of 784 pixels:
    /// random weights, so its outputs are no classification, only something to be bit-exact about.
    /// </summary>
    public static SparseModel Small { get; } = RandomSparseModel.Create(17, [784, 24, 10], 0.05, peCount: 1, name: "small-784");

    public static string ShippedModelPath => Path.Combine(HardwareSources.Root, "..", "host", "models", "fashion-mnist-mlp.cdsm");
}
