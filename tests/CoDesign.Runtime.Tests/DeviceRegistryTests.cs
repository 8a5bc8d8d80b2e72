using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>Devices open by name through one registry, and a new kind of device is one registration.</summary>
public class DeviceRegistryTests
{
    [Fact]
    public void ANewKindOfDeviceIsOneRegistration()
    {
        int opened = 0;
        DeviceRegistration twin = new("twin", "<pes>", "an emulator with the PEs its name gives", request =>
        {
            opened++;
            DeviceProfile profile = DeviceProfile.EmulatorDefault with { Name = request.Name, PeCount = int.Parse(request.Argument!, System.Globalization.CultureInfo.InvariantCulture) };
            return LinkServer.Link(new EmulatorEngine(profile));
        });
        DeviceRegistry registry = RuntimeDevices.Registry.With([twin]);

        using ConnectedDevice device = registry.Open("twin:2");
        Model.SparseModel model = RandomSparseModel.Create(3, [24, 12, 6], 0.5, peCount: 2);
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, device.Session.Profile));
        byte[] inputs = RandomSparseModel.Inputs(5, 3, model.InputSize);
        InferenceResult result = device.Session.Infer(deployed, inputs, 3);

        Assert.Equal(1, opened);
        Assert.Equal(("twin:2", 2), (device.Session.Profile.Name, device.Session.Profile.PeCount));
        Assert.Contains("twin:<pes>", registry.Known);
        Assert.Equal(TestModels.Reference(model, inputs), Enumerable.Range(0, 3).SelectMany(i => result.OutputsOf(i).ToArray()));
    }

    [Theory]
    [InlineData("quantum", "unknown device 'quantum'; known devices: emulator, cpu, serial:<port>[@<baud>]")]
    [InlineData("emulator:icebreaker", "device 'emulator:icebreaker' is not of the form emulator")]
    [InlineData("serial:", "has nothing after ':'")]
    public void NamesNoRegistrationTakesAreRefusedWithTheFormsThatExist(string name, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => RuntimeDevices.Registry.Open(name));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void TwoRegistrationsOfTheSameNameShapeAreRefused()
    {
        DeviceRegistration other = new("emulator", null, "a second emulator", _ => throw new InvalidOperationException("never opened"));

        var error = Assert.Throws<ArgumentException>(() => RuntimeDevices.Registry.With([other]));

        Assert.Contains("'emulator' is registered twice", error.Message);
    }

    [Fact]
    public void TheEmulatorSaysItsCyclesComeFromACostModel()
    {
        using ConnectedDevice device = RuntimeDevices.Registry.Open("emulator", peCount: 3);

        Assert.Equal((CycleSource.CostModel, 3), (device.Session.Profile.Cycles, device.Session.Profile.PeCount));
    }
}
