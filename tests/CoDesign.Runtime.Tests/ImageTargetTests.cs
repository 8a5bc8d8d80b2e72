using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>An image is laid out for one device shape; a session refuses images made for another.</summary>
public class ImageTargetTests
{
    private static readonly DeviceProfile Device = DeviceProfile.EmulatorDefault with { MaxPayload = 1024 };

    public static TheoryData<string, DeviceProfile> OtherShapes => new()
    {
        { "more PEs", Device with { PeCount = 8 } },
        { "fewer PEs", Device with { PeCount = 2 } },
        { "a wider bus", Device with { BusBits = 64 } },
        { "larger frames", Device with { MaxPayload = 2048 } },
    };

    [Theory]
    [MemberData(nameof(OtherShapes))]
    public void AnImageCompiledForAnotherShapeIsRefusedBeforeAnythingIsSent(string difference, DeviceProfile compiledFor)
    {
        DeviceImage image = ModelCompiler.Compile(RandomSparseModel.Create(31, [64, 24, 10], 0.4), compiledFor);
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Device);
        long sent = device.Session.Link.BytesSent;

        var deploy = Assert.Throws<ArgumentException>(() => device.Session.Deploy(image));
        var adopt = Assert.Throws<ArgumentException>(() => device.Session.Adopt(image));

        // The message names both shapes, so the user sees which one to compile for.
        Assert.Contains(compiledFor.Describe(), deploy.Message);
        Assert.Contains(Device.Describe(), deploy.Message);
        Assert.Equal("image", adopt.ParamName);
        Assert.Equal(sent, device.Session.Link.BytesSent);
        Assert.Equal(0, device.Session.Memory.UsedBytes);
        Assert.False(image.IsFullyReleased, difference);
    }

    [Fact]
    public void AnImageCompiledForSmallerFramesOrAnotherMemorySizeRuns()
    {
        // Smaller frames only mean more chunks, and the allocator (not the compiler) places the
        // image in memory: neither makes the image wrong for this device.
        SparseModel model = RandomSparseModel.Create(32, [64, 24, 10], 0.4);
        DeviceImage image = ModelCompiler.Compile(model, Device with { MaxPayload = 256, PersistentBytes = 64 * 1024, Name = "other" });
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Device);
        byte[] inputs = RandomSparseModel.Inputs(9, 3, model.InputSize);

        DeployedModel deployed = device.Session.Deploy(image);

        Assert.Equal(TestModels.Reference(model, inputs), device.Session.Infer(deployed, inputs, 3).Outputs);
    }
}
