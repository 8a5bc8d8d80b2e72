
namespace CoDesign.Compression.Tests;

public class MlpTrainerTests
{
    [Fact]
    public void BackpropagationMatchesFiniteDifferences()
    {
        DenseMlp model = TestData.RandomModel(9, 6, 5, 4, 3);
        var random = new Random(1);
        for (int l = 0; l < model.LayerCount; l++)
        {
            for (int o = 0; o < model.Biases[l].Length; o++)
            {
                model.Biases[l][o] = (float)(random.NextDouble() - 0.3);
            }
        }

        var engine = new Backpropagation(model, 3);
        for (int i = 0; i < 3 * 6; i++)
        {
            engine.Input[i] = (float)random.NextDouble();
        }

        byte[] labels = [0, 2, 1];
        engine.Run(labels, 3);
        float[][] weightGradients = [.. engine.WeightGradients.Select(g => (float[])g.Clone())];
        float[][] biasGradients = [.. engine.BiasGradients.Select(g => (float[])g.Clone())];

        const float Step = 1e-3f;
        double MeanLoss() => engine.Run(labels, 3).LossSum / 3;
        void Check(float[] parameters, float[] analytic, string what)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                float saved = parameters[i];
                parameters[i] = saved + Step;
                double plus = MeanLoss();
                parameters[i] = saved - Step;
                double minus = MeanLoss();
                parameters[i] = saved;
                double numeric = (plus - minus) / (2 * Step);
                Assert.True(Math.Abs(numeric - analytic[i]) <= 2e-3 + (0.02 * Math.Abs(analytic[i])), $"{what}[{i}]: numeric {numeric}, analytic {analytic[i]}");
            }
        }

        for (int l = 0; l < model.LayerCount; l++)
        {
            Check(model.Weights[l], weightGradients[l], $"layer {l} weight");
            Check(model.Biases[l], biasGradients[l], $"layer {l} bias");
        }
    }

    [Fact]
    public void TrainingLearnsFashionMnist()
    {
        double accuracy = TestData.SmallModel.Accuracy(TestData.Test);
        Assert.True(accuracy > 0.75, $"accuracy {accuracy}");
    }

    [Fact]
    public void SgdWithMomentumAlsoLearns()
    {
        DenseMlp model = DenseMlp.CreateRandom([784, 32, 10], 5);
        TrainingSummary summary = MlpTrainer.Train(
            model, TestData.Train, new TrainingOptions { Epochs = 3, Optimizer = TrainingOptimizer.SgdMomentum, LearningRate = 0.05f, BatchSize = 32 }, validation: TestData.Test);
        Assert.True(summary.ValidationAccuracy > 0.7, $"accuracy {summary.ValidationAccuracy}");
    }

    [Fact]
    public void SameSeedGivesIdenticalWeightsAndAnotherSeedDoesNot()
    {
        var data = TestData.Train.Take(1500);
        DenseMlp first = DenseMlp.CreateRandom([784, 24, 10], 1);
        DenseMlp second = DenseMlp.CreateRandom([784, 24, 10], 1);
        DenseMlp other = DenseMlp.CreateRandom([784, 24, 10], 1);
        TrainingOptions options = TestData.QuickTraining with { Epochs = 2 };

        MlpTrainer.Train(first, data, options);
        MlpTrainer.Train(second, data, options);
        MlpTrainer.Train(other, data, options with { Seed = options.Seed + 1 });

        for (int l = 0; l < first.LayerCount; l++)
        {
            Assert.Equal(first.Weights[l], second.Weights[l]);
            Assert.Equal(first.Biases[l], second.Biases[l]);
        }

        Assert.NotEqual(first.Weights[0], other.Weights[0]);
    }

    [Fact]
    public void ProgressCoversEveryEpochAndEndsTheRun()
    {
        var reports = new List<TrainingProgress>();
        DenseMlp model = DenseMlp.CreateRandom([784, 16, 10], 2);

        TrainingSummary summary = MlpTrainer.Train(
            model, TestData.Train.Take(1000), TestData.QuickTraining with { Epochs = 3 }, validation: TestData.Test.Take(200), progress: new ListProgress<TrainingProgress>(reports));

        TrainingProgress[] ends = [.. reports.Where(r => r.IsEndOfEpoch)];
        Assert.Equal([1, 2, 3], ends.Select(r => r.Epoch));
        Assert.All(ends, r => Assert.NotNull(r.ValidationAccuracy));
        Assert.All(reports.Where(r => !r.IsEndOfEpoch), r => Assert.Null(r.ValidationAccuracy));
        Assert.Equal(reports.Select(r => r.Fraction).Order(), reports.Select(r => r.Fraction));
        Assert.Equal(1.0, reports[^1].Fraction, 9);
        Assert.True(ends[^1].Loss < ends[0].Loss);
        Assert.Equal(ends[^1].ValidationAccuracy, summary.ValidationAccuracy);
        Assert.True(ends[^1].LearningRate < ends[0].LearningRate, "the cosine schedule decays");
    }

    [Fact]
    public void CodebookFineTuningKeepsWeightsShared()
    {
        DenseMlp model = TestData.SmallModel.Clone();
        MagnitudePruner.Prune(model, [0.2, 0.3, 0.6]);
        WeightCodebook[] codebooks = KMeansCodebook.ShareWeights(model);
        float[][] before = [.. codebooks.Select(c => (float[])c.Centroids.Clone())];
        double sharedAccuracy = model.Accuracy(TestData.Test);

        MlpTrainer.FineTuneCodebooks(model, codebooks, TestData.Train, TestData.QuickTraining with { Epochs = 1, LearningRate = 1e-3f });

        for (int l = 0; l < model.LayerCount; l++)
        {
            Assert.Equal(codebooks[l].Decode(), model.Weights[l]);
            Assert.Equal(0f, codebooks[l].Centroids[0]);
            Assert.NotEqual(before[l], codebooks[l].Centroids);
        }

        Assert.True(model.Accuracy(TestData.Test) > sharedAccuracy - 0.03);
    }

    [Fact]
    public void RejectsLabelsOutsideTheOutputs()
    {
        DenseMlp model = DenseMlp.CreateRandom([784, 8, 5], 1);
        var error = Assert.Throws<ArgumentException>(() => MlpTrainer.Train(model, TestData.Train.Take(200), TestData.QuickTraining));
        Assert.Contains("label", error.Message);
    }

    [Fact]
    public void LogitsAndBatchedPredictionsAgree()
    {
        DenseMlp model = TestData.SmallModel;
        var data = TestData.Test.Take(300);
        int[] batched = model.Predictions(data);
        for (int i = 0; i < data.Count; i++)
        {
            Assert.Equal(model.Predict(data.Image(i)), batched[i]);
        }
    }
}
