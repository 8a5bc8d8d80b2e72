using CoDesign.Model;
using CoDesign.Runtime.Compile;

namespace CoDesign.Runtime.Tests;

public class ModelCompilerTests
{
    [Fact]
    public void ChunksCoverTheImageExactlyOnceAndFitAFrame()
    {
        SparseModel model = TestModels.Random(1, [300, 100, 10], 0.2);
        DeviceImage image = ModelCompiler.Compile(model, DeviceProfile.EmulatorDefault);

        var covered = new bool[image.ImageBytes];
        foreach (ImageChunk chunk in image.Chunks)
        {
            Assert.True(chunk.Descriptor.Length + DmaDescriptor.Size <= DeviceProfile.EmulatorDefault.MaxPayload);
            Assert.Equal(0, chunk.Descriptor.Address % DeviceProfile.EmulatorDefault.BusBytes);
            for (int i = 0; i < chunk.Descriptor.Length; i++)
            {
                Assert.False(covered[chunk.Descriptor.Address + i]);
                covered[chunk.Descriptor.Address + i] = true;
            }
        }

        Assert.All(covered, Assert.True);
        Assert.Equal(image.HostBytesHeld, image.Chunks.Sum(c => c.Descriptor.Length + DmaDescriptor.Size));
    }

    [Fact]
    public void RowsAreReinterleavedForTheDevicePeCount()
    {
        SparseModel model = TestModels.Random(2, [50, 40, 10], 0.3, peCount: 4);
        DeviceImage image = ModelCompiler.Compile(model, DeviceProfile.EmulatorDefault with { PeCount = 3 });

        Assert.All(image.Layers, l => Assert.Equal(3, l.EntriesPerPe.Count));
        Assert.Equal(model.Layers[0].Weights.DecodeIndices(), model.Repartition(3).Layers[0].Weights.DecodeIndices());
    }

    [Fact]
    public void PointersNarrowTo16BitsWhenTheyFitAndWidenWhenNot()
    {
        SparseModel small = TestModels.Random(3, [64, 32, 10], 0.5);
        SparseModel large = TestModels.Random(4, [2000, 300, 10], 0.5, peCount: 1);
        DeviceProfile roomy = DeviceProfile.EmulatorDefault with { PeCount = 1, PersistentBytes = 4 << 20 };

        Assert.Equal(16, ModelCompiler.Compile(small, roomy).Layers[0].PointerBits);
        Assert.Equal(32, ModelCompiler.Compile(large, roomy).Layers[0].PointerBits);
    }

    [Fact]
    public void AModelLargerThanTheWeightRegionIsRefusedWithSizes()
    {
        SparseModel model = TestModels.Random(5, [1000, 500, 10], 0.5);
        var error = Assert.Throws<ArgumentException>(() => ModelCompiler.Compile(model, DeviceProfile.EmulatorDefault with { PersistentBytes = 64 * 1024 }));

        Assert.Contains("65536 bytes of weight memory", error.Message);
    }

    [Fact]
    public void ALayerWiderThanTheScratchMemoryIsRefused()
    {
        SparseModel model = TestModels.Random(6, [3000, 10], 0.1);
        var error = Assert.Throws<ArgumentException>(() => ModelCompiler.Compile(model, DeviceProfile.EmulatorDefault));

        Assert.Contains("activation memory", error.Message);
    }
}
