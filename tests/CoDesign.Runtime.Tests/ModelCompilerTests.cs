using CoDesign.Kernels;
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

    [Theory]
    [InlineData(65535)] // the link's largest payload: chunks of 65,519 bytes would put the second one off the bus word
    [InlineData(4093)]
    public void ChunksStayWordAlignedAtAnOddFrameLimitAndTheImageRunsExactly(int maxPayload)
    {
        SparseModel model = TestModels.Random(3, [800, 800, 10], 0.1);
        DeviceProfile profile = DeviceProfile.EmulatorDefault with { MaxPayload = maxPayload, PersistentBytes = 1 << 20 };
        DeviceImage image = ModelCompiler.Compile(model, profile);
        Assert.True(image.ImageBytes > 65536, $"{image.ImageBytes} bytes");
        Assert.All(image.Chunks, c => Assert.Equal(0, c.Descriptor.Address % 8));

        using Devices.ConnectedDevice device = Devices.RuntimeDevices.Registry.Open("emulator", profile: profile);
        Deploy.DeployedModel deployed = device.Session.Deploy(image);
        var input = new byte[800];
        new Random(4).NextBytes(input);
        Assert.Equal(new DenseIntegerReference(model).Forward(input), device.Session.Infer(deployed, input, 1).Outputs);
    }

    [Fact]
    public void RowsAreReinterleavedForTheDevicePeCount()
    {
        SparseModel model = TestModels.Random(2, [50, 40, 10], 0.3, peCount: 4);
        DeviceImage image = ModelCompiler.Compile(model, DeviceProfile.EmulatorDefault with { PeCount = 3 });

        Assert.All(image.Layers, l => Assert.Equal(3, l.EntriesPerPe.Count));
        Assert.Equal(model.Layers[0].Weights.DecodeIndices(), model.Repartition(3).Layers[0].Weights.DecodeIndices());
    }

    [Theory]
    [InlineData(4, 300, 60, 16)]    // one PE per lane
    [InlineData(6, 300, 60, 16)]    // PEs 4 and 5 follow PEs 0 and 1 in lanes 0 and 1
    [InlineData(3, 300, 60, 16)]    // two lanes of 4-byte words: PE 2 follows PE 0
    [InlineData(1, 300, 60, 16)]    // one lane: plain linear order
    [InlineData(2, 2000, 150, 32)]  // layer 0's slices need 32-bit pointers
    public void EachPeSliceLiesInItsOwnMemoryLane(int peCount, int inputs, int hidden, int firstPointerBits)
    {
        SparseModel model = TestModels.Random(7, [inputs, hidden, 10], 0.5, peCount: peCount);
        DeviceProfile profile = DeviceProfile.EmulatorDefault with { PeCount = peCount, PersistentBytes = 4 << 20 };
        DeviceImage image = ModelCompiler.Compile(model, profile);
        var bytes = new byte[image.ImageBytes];
        foreach (ImageChunk chunk in image.Chunks)
        {
            chunk.Payload!.CopyTo(bytes, chunk.Descriptor.Address);
        }

        ModelHeader header = ModelHeader.Decode(bytes)!.Value;
        SparseModel shaped = model.Repartition(peCount);
        var owner = new int[bytes.Length];
        for (int l = 0; l < header.LayerCount; l++)
        {
            LayerInstruction layer = LayerInstruction.Decode(bytes.AsSpan(header.InstructionsOffset + (l * LayerInstruction.Size)))!.Value;
            Assert.Equal(l == 0 ? firstPointerBits : 16, layer.PointerBits);
            for (int pe = 0; pe < peCount; pe++)
            {
                PeSliceRecord record = PeSliceRecord.Decode(bytes.AsSpan(layer.PeTableOffset + (pe * PeSliceRecord.Size)));
                var pointerBytes = new byte[(layer.Cols + 1) * layer.PointerBits / 8];
                var entries = new byte[record.EntryCount];
                int word = MemoryLanes.WordBytes(peCount);
                foreach ((int start, byte[] lane) in new[] { (record.PointersOffset, pointerBytes), (record.EntriesOffset, entries) })
                {
                    MemoryLanes.Read(bytes, start, lane, word);
                    for (int m = 0; m < lane.Length; m++)
                    {
                        // The image starts on a memory line, so image offsets select the same banks as addresses.
                        int at = (int)MemoryLanes.Address(start, m, word);
                        Assert.Equal(MemoryLanes.LaneOf(pe, peCount), at % MemoryLanes.LineBytes / word);
                        Assert.Equal(0, owner[at]);
                        owner[at] = 1 + (l * peCount) + pe;
                    }
                }

                var pointers = new int[layer.Cols + 1];
                WidthConverter.Unpack(pointerBytes, layer.PointerBits, layer.PointerBits, false, pointers);
                Assert.Equal(shaped.Layers[l].Weights.Slices[pe].Pointers, pointers);
                Assert.Equal(shaped.Layers[l].Weights.Slices[pe].Entries, entries);
            }
        }
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
