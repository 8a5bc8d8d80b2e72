using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;

namespace CoDesign.Runtime.Tests;

/// <summary>The shipped model on real Fashion-MNIST test images, through the whole pipeline.</summary>
public class ShippedModelTests
{
    [Fact]
    public void EmulatorClassificationsOfRealImagesEqualTheDenseIntegerReferenceBitForBit()
    {
        SparseModel model = ModelFile.Read(RepositoryFiles.ShippedModel);
        LabeledImages test = FashionMnist.LoadTest().Take(600);
        using ConnectedDevice device = RuntimeDevices.Registry.Open("emulator");
        DeployedModel deployed = device.Session.Deploy(ModelCompiler.Compile(model, device.Session.Profile));

        InferenceResult result = device.Session.Infer(deployed, test.Pixels, test.Count);

        var reference = new DenseIntegerReference(model);
        int correct = 0;
        for (int i = 0; i < test.Count; i++)
        {
            int[] expected = reference.Forward(test.Image(i));
            Assert.Equal(expected, result.OutputsOf(i).ToArray());
            correct += DenseIntegerReference.ArgMax(expected) == test.Labels[i] ? 1 : 0;
        }

        // The full 10,000-image accuracy is in the model's metadata and the README; a 600-image
        // slice of a >= 0.87 model stays well above 0.8.
        Assert.True(correct / (double)test.Count > 0.8, $"accuracy {correct / (double)test.Count:0.000} on {test.Count} images");
    }

    [Fact]
    public void TheShippedModelMeetsTheCompressionTargets()
    {
        SparseModel model = ModelFile.Read(RepositoryFiles.ShippedModel);
        long nonzeros = model.Layers.Sum(l => l.Weights.NonzeroCount);
        long weights = model.Layers.Sum(l => (long)l.Rows * l.Cols);

        Assert.True(nonzeros <= 0.10 * weights, $"density {nonzeros / (double)weights:P2}");
        Assert.Equal(784, model.InputSize);
        Assert.Equal(10, model.OutputSize);
    }
}
