using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>Many models on one device at once (seed 001's point): allocation, refusal, unload, concurrent inference.</summary>
public class MultiModelTests
{
    private static readonly DeviceProfile Profile = DeviceProfile.EmulatorDefault with { PersistentBytes = 48 * 1024 };

    [Fact]
    public void SeveralModelsRunSideBySideFromSeveralThreads()
    {
        SparseModel[] models = [.. Enumerable.Range(0, 3).Select(i => RandomSparseModel.Create(20 + i, [120, 48 + (8 * i), 10], 0.25, name: $"m{i}"))];
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);
        DeployedModel[] deployed = [.. models.Select(m => device.Session.Deploy(ModelCompiler.Compile(m, Profile)))];
        Assert.Equal(3, device.Session.Models.Count);
        Assert.Equal(3, deployed.Select(d => d.Address).Distinct().Count());

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 12, new ParallelOptions { MaxDegreeOfParallelism = 6 }, job =>
        {
            int which = job % 3;
            byte[] inputs = RandomSparseModel.Inputs(100 + job, 9, models[which].InputSize);
            int[] outputs = device.Session.Infer(deployed[which], inputs, 9).Outputs;
            if (!outputs.SequenceEqual(TestModels.Reference(models[which], inputs)))
            {
                failures.Add($"job {job} on model {which}");
            }
        });

        Assert.Empty(failures);
        Assert.True(device.Session.HostBytesHeld < 3 * 200);
    }

    [Fact]
    public void ADeviceRegistersNoMoreModelsThanItsSlots()
    {
        DeviceProfile profile = Profile with { ModelSlots = 2 };
        SparseModel[] models = [.. Enumerable.Range(0, 3).Select(i => RandomSparseModel.Create(30 + i, [64, 24, 10], 0.3, name: $"s{i}"))];
        using ConnectedDevice device = EndToEndTests.OpenEmulator(profile);
        Assert.Equal(2, device.Session.Profile.ModelSlots);
        DeployedModel first = device.Session.Deploy(ModelCompiler.Compile(models[0], profile));
        device.Session.Deploy(ModelCompiler.Compile(models[1], profile));

        Exception refused = Assert.ThrowsAny<Exception>(() => device.Session.Deploy(ModelCompiler.Compile(models[2], profile)));
        Assert.Contains("no free model slot", refused.Message);

        // Unloading one frees its slot.
        device.Session.Unload(first);
        DeployedModel third = device.Session.Deploy(ModelCompiler.Compile(models[2], profile));
        byte[] inputs = RandomSparseModel.Inputs(7, 3, models[2].InputSize);
        Assert.Equal(TestModels.Reference(models[2], inputs), device.Session.Infer(third, inputs, 3).Outputs);
    }

    [Fact]
    public void ADeployThatDoesNotFitIsRefusedAndTheHostKeepsTheImage()
    {
        SparseModel big = RandomSparseModel.Create(30, [400, 200, 10], 0.5, name: "big");
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);
        DeployedModel first = device.Session.Deploy(ModelCompiler.Compile(big, Profile));
        DeviceImage second = ModelCompiler.Compile(big, Profile);
        long held = second.HostBytesHeld;

        var error = Assert.Throws<DeployRefusedException>(() => device.Session.Deploy(second));

        Assert.Contains("needs", error.Message);
        Assert.Contains("still held", error.Message);
        Assert.Equal(held, second.HostBytesHeld);
        Assert.False(second.IsFullyReleased);

        // Unloading the first makes room; the refused image deploys as it is.
        device.Session.Unload(first);
        DeployedModel again = device.Session.Deploy(second);
        byte[] inputs = RandomSparseModel.Inputs(31, 4, big.InputSize);
        Assert.Equal(TestModels.Reference(big, inputs), device.Session.Infer(again, inputs, 4).Outputs);
        Assert.Throws<InvalidOperationException>(() => device.Session.Infer(first, inputs, 4));
    }

    [Fact]
    public void WeightsSurviveASoftResetAndNeedNotBeSentAgain()
    {
        SparseModel model = RandomSparseModel.Create(40, [90, 30, 10], 0.3);
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, Profile));
        byte[] inputs = RandomSparseModel.Inputs(41, 5, model.InputSize);
        long sentBefore = device.Session.Link.BytesSent;

        device.Session.Reset();
        InferenceResult result = device.Session.Infer(deployed, inputs, 5);

        Assert.Equal(TestModels.Reference(model, inputs), result.Outputs);
        Assert.True(device.Session.Link.BytesSent - sentBefore < 5 * (model.InputSize + 64) + 64);
    }

    [Fact]
    public void WrongInputSizesAreRejectedBeforeAnythingIsSent()
    {
        SparseModel model = RandomSparseModel.Create(50, [90, 30, 10], 0.3);
        using ConnectedDevice device = EndToEndTests.OpenEmulator(Profile);
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, Profile));
        long sent = device.Session.Link.BytesSent;

        var error = Assert.Throws<ArgumentException>(() => device.Session.Infer(deployed, new byte[100], 1));

        Assert.Contains("90", error.Message);
        Assert.Equal(sent, device.Session.Link.BytesSent);
    }
}
