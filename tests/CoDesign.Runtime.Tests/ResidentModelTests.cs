using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>
/// A model baked into the device's weight memory (as a bitstream's memory initialisation does) is
/// adopted with a Commit alone and then runs exactly like a deployed one.
/// </summary>
public class ResidentModelTests
{
    private static readonly DeviceProfile Profile = DeviceProfile.EmulatorDefault;

    [Fact]
    public void AnAdoptedBakedModelGivesTheSameResultsAsADeployedOneWithoutSendingItsBytes()
    {
        SparseModel model = RandomSparseModel.Create(21, [120, 48, 10], 0.25);
        byte[] inputs = RandomSparseModel.Inputs(22, 40, model.InputSize);
        DeviceImage baked = ModelCompiler.Compile(model, Profile);
        using ConnectedDevice resident = OpenBaked(baked.ToMemoryBytes());
        using ConnectedDevice plain = EndToEndTests.OpenEmulator(Profile);
        DeployedModel deployed = plain.Session.Deploy(ModelCompiler.Compile(model, Profile));
        long sentBefore = resident.Session.Link.BytesSent;

        DeployedModel adopted = resident.Session.Adopt(baked, 0);

        // Only the Commit frame went out: a few dozen bytes, not the image.
        long sent = resident.Session.Link.BytesSent - sentBefore;
        Assert.True(sent < 64, $"adopting sent {sent} bytes for a {baked.ImageBytes}-byte image");
        Assert.True(baked.IsFullyReleased);
        Assert.Equal(0, adopted.Address);
        Assert.Equal(deployed.ImageBytes, adopted.ImageBytes);
        InferenceResult fromResident = resident.Session.Infer(adopted, inputs, 40);
        InferenceResult fromDeployed = plain.Session.Infer(deployed, inputs, 40);
        Assert.Equal(fromDeployed.Outputs, fromResident.Outputs);
        Assert.Equal(fromDeployed.Cycles, fromResident.Cycles);
        Assert.Equal(fromDeployed.Entries, fromResident.Entries);
        Assert.Equal(fromDeployed.ShiftAddSteps, fromResident.ShiftAddSteps);
        Assert.Equal(TestModels.Reference(model, inputs), fromResident.Outputs);
    }

    [Fact]
    public void TheAdoptedRegionIsUsedSoADeployLandsAfterItAndASoftResetKeepsIt()
    {
        SparseModel model = RandomSparseModel.Create(23, [64, 32, 10], 0.3);
        SparseModel other = RandomSparseModel.Create(24, [64, 16, 10], 0.3, name: "other");
        DeviceImage baked = ModelCompiler.Compile(model, Profile);
        using ConnectedDevice device = OpenBaked(baked.ToMemoryBytes());
        DeviceSession session = device.Session;

        DeployedModel adopted = session.Adopt(baked);
        DeployedModel deployed = session.Deploy(ModelCompiler.Compile(other, Profile));
        session.Reset();

        Assert.True(deployed.Address >= baked.ImageBytes, $"deployed at {deployed.Address}, inside the adopted {baked.ImageBytes} bytes");
        Assert.Equal(2, session.RequestStatus().Models);
        byte[] inputs = RandomSparseModel.Inputs(25, 5, model.InputSize);
        Assert.Equal(TestModels.Reference(model, inputs), session.Infer(adopted, inputs, 5).Outputs);
        Assert.Equal(TestModels.Reference(other, inputs), session.Infer(deployed, inputs, 5).Outputs);
    }

    [Fact]
    public void ADifferentBakedModelIsRefusedNamingTheAddressAndTheRegionIsFreedAgain()
    {
        DeviceImage baked = ModelCompiler.Compile(RandomSparseModel.Create(26, [64, 32, 10], 0.3), Profile);
        DeviceImage wrong = ModelCompiler.Compile(RandomSparseModel.Create(27, [64, 32, 10], 0.3, name: "wrong"), Profile);
        using ConnectedDevice device = OpenBaked(baked.ToMemoryBytes());

        var error = Assert.Throws<ImageNotResidentException>(() => device.Session.Adopt(wrong, 0));

        Assert.Contains("'wrong' at address 0", error.Message);
        Assert.Contains("memory does not match this image", error.Message);
        Assert.Equal(0, device.Session.Memory.UsedBytes);
        Assert.Empty(device.Session.Models);
        Assert.False(wrong.IsFullyReleased);
        device.Session.Adopt(baked, 0);
        Assert.Single(device.Session.Models);
    }

    [Fact]
    public void ADeviceWithNothingBakedRefusesTheAdoption()
    {
        DeviceImage image = ModelCompiler.Compile(RandomSparseModel.Create(28, [64, 32, 10], 0.3), Profile);
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);

        var error = Assert.Throws<ImageNotResidentException>(() => device.Session.Adopt(image, 0));

        Assert.Contains("does not hold the image of 'random28' at address 0", error.Message);
        Assert.Equal(0, device.Session.RequestStatus().Models);
    }

    [Fact]
    public void AnAddressOverlappingAModelOfTheSessionIsRefusedBeforeAskingTheDevice()
    {
        DeviceImage first = ModelCompiler.Compile(RandomSparseModel.Create(29, [64, 32, 10], 0.3), Profile);
        DeviceImage second = ModelCompiler.Compile(RandomSparseModel.Create(30, [64, 32, 10], 0.3), Profile);
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);
        device.Session.Deploy(first);
        long sentBefore = device.Session.Link.BytesSent;

        Assert.Throws<DeployRefusedException>(() => device.Session.Adopt(second, 0));

        Assert.Equal(sentBefore, device.Session.Link.BytesSent);
    }

    private static ConnectedDevice OpenBaked(byte[] bakedWeights)
    {
        (LinkServer device, Stream hostEnd) = LinkServer.Start(new EmulatorEngine(Profile, bakedWeights));
        return new ConnectedDevice(DeviceSession.Open(hostEnd, "baked emulator", TimeSpan.FromSeconds(2)), device);
    }
}
