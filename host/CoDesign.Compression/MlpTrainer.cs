using System.Diagnostics;
using System.Numerics.Tensors;
using CoDesign.Model.Datasets;

namespace CoDesign.Compression;

/// <summary>
/// Trains a <see cref="DenseMlp"/> in place by minibatch gradient descent on softmax cross-entropy.
/// Matrix products run on all cores; everything else is SIMD on one. With the same model, data,
/// options and seed, a run gives the same weights every time on the same machine.
/// </summary>
public static class MlpTrainer
{
    /// <summary>
    /// Trains every weight and bias of <paramref name="model"/>. With a <paramref name="mask"/>, pruned
    /// weights are set to zero first and stay exactly zero: their gradients and updates are masked out.
    /// </summary>
    /// <param name="model">The network, updated in place.</param>
    /// <param name="data">Training images and labels.</param>
    /// <param name="options">Epochs, batch size, optimizer, schedule and seed.</param>
    /// <param name="mask">Weights to keep, or null to train all.</param>
    /// <param name="validation">Images to measure accuracy on at the end of each epoch, or null.</param>
    /// <param name="progress">Receives reports during and at the end of each epoch.</param>
    /// <param name="cancellationToken">Stops the run between minibatches.</param>
    public static TrainingSummary Train(
        DenseMlp model,
        LabeledImages data,
        TrainingOptions options,
        WeightMask? mask = null,
        LabeledImages? validation = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        float[][]? multipliers = null;
        if (mask is not null)
        {
            mask.CheckShape(model);
            mask.Apply(model);
            multipliers = mask.ToMultipliers();
        }

        return Run(model, data, options, validation, progress, cancellationToken, (optimizer, gradients, rate) =>
        {
            for (int l = 0; l < model.LayerCount; l++)
            {
                if (multipliers is not null)
                {
                    // Masked gradients keep the optimizer state of pruned weights at zero; masking the
                    // weights afterwards undoes weight decay and Adam's epsilon-sized drift.
                    TensorPrimitives.Multiply(gradients[l], multipliers[l], gradients[l]);
                }

                optimizer.Update(l, model.Weights[l], gradients[l], rate, decay: true);
                if (multipliers is not null)
                {
                    TensorPrimitives.Multiply(model.Weights[l], multipliers[l], model.Weights[l]);
                }
            }
        });
    }

    /// <summary>
    /// Retrains under weight sharing (Deep Compression): each layer's weights stay equal to their
    /// codebook values, so the gradient of a shared value is the sum of the gradients of the weights
    /// that use it. Updates the codebooks' centroids 1..15 and the biases; index-0 weights stay zero.
    /// On return the model's weights are the decoded codebooks.
    /// </summary>
    /// <param name="model">The network; its weights are overwritten with the decoded codebooks.</param>
    /// <param name="codebooks">One codebook per layer; their centroids are updated in place.</param>
    /// <param name="data">Training images and labels.</param>
    /// <param name="options">Epochs, batch size, optimizer, schedule and seed.</param>
    /// <param name="validation">Images to measure accuracy on at the end of each epoch, or null.</param>
    /// <param name="progress">Receives reports during and at the end of each epoch.</param>
    /// <param name="cancellationToken">Stops the run between minibatches.</param>
    public static TrainingSummary FineTuneCodebooks(
        DenseMlp model,
        IReadOnlyList<WeightCodebook> codebooks,
        LabeledImages data,
        TrainingOptions options,
        LabeledImages? validation = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (codebooks.Count != model.LayerCount)
        {
            throw new ArgumentException($"{codebooks.Count} codebooks for {model.LayerCount} layers", nameof(codebooks));
        }

        for (int l = 0; l < model.LayerCount; l++)
        {
            codebooks[l].Decode(model.Weights[l]);
        }

        var centroidGradient = new float[codebooks[0].Centroids.Length];
        return Run(model, data, options, validation, progress, cancellationToken, (optimizer, gradients, rate) =>
        {
            for (int l = 0; l < model.LayerCount; l++)
            {
                WeightCodebook codebook = codebooks[l];
                Array.Clear(centroidGradient);
                float[] gradient = gradients[l];
                byte[] indices = codebook.Indices;
                for (int i = 0; i < indices.Length; i++)
                {
                    centroidGradient[indices[i]] += gradient[i];
                }

                // Entry 0 is the pinned zero; no decay: shrinking a shared value is not regularisation.
                optimizer.Update(l, codebook.Centroids.AsSpan(1), centroidGradient.AsSpan(1), rate, decay: false);
                codebook.Decode(model.Weights[l]);
            }
        });
    }

    private static TrainingSummary Run(
        DenseMlp model,
        LabeledImages data,
        TrainingOptions options,
        LabeledImages? validation,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken,
        Action<ParameterOptimizer, float[][], float> updateWeights)
    {
        options.Validate();
        if (data.ImageSize != model.InputSize)
        {
            throw new ArgumentException($"images have {data.ImageSize} pixels, the network takes {model.InputSize}", nameof(data));
        }

        if (data.Count == 0)
        {
            throw new ArgumentException("the training set is empty", nameof(data));
        }

        int badLabel = Array.FindIndex(data.Labels, label => label >= model.OutputSize);
        if (badLabel >= 0)
        {
            throw new ArgumentException($"label {data.Labels[badLabel]} of image {badLabel} is not a class of a {model.OutputSize}-output network", nameof(data));
        }

        var clock = Stopwatch.StartNew();
        int batchSize = Math.Min(options.BatchSize, data.Count);
        int batchCount = (data.Count + batchSize - 1) / batchSize;
        long totalSteps = (long)batchCount * options.Epochs;
        int reportEvery = options.ReportsPerEpoch == 0 ? int.MaxValue : Math.Max(1, batchCount / options.ReportsPerEpoch);
        var engine = new Backpropagation(model, batchSize);
        var optimizer = new ParameterOptimizer(options);
        var random = new Random(options.Seed);
        int[] order = [.. Enumerable.Range(0, data.Count)];
        var labels = new byte[batchSize];
        long step = 0;
        double epochLoss = double.NaN;
        double epochAccuracy = double.NaN;
        double? validationAccuracy = null;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            random.Shuffle(order);
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            float rate = options.LearningRate;
            for (int batch = 0; batch < batchCount; batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int first = batch * batchSize;
                int count = Math.Min(batchSize, data.Count - first);
                for (int b = 0; b < count; b++)
                {
                    int image = order[first + b];
                    DenseMlp.ScalePixels(data.Image(image), engine.Input.AsSpan(b * data.ImageSize, data.ImageSize));
                    labels[b] = data.Labels[image];
                }

                (double batchLoss, int batchCorrect) = engine.Run(labels.AsSpan(0, count), count);
                lossSum += batchLoss;
                correct += batchCorrect;
                seen += count;

                rate = options.LearningRateAt(step++, totalSteps);
                optimizer.BeginStep();
                updateWeights(optimizer, engine.WeightGradients, rate);
                for (int l = 0; l < model.LayerCount; l++)
                {
                    optimizer.Update(model.LayerCount + l, model.Biases[l], engine.BiasGradients[l], rate, decay: false);
                }

                bool endOfEpoch = batch == batchCount - 1;
                if (endOfEpoch)
                {
                    epochLoss = lossSum / seen;
                    epochAccuracy = (double)correct / seen;
                    validationAccuracy = validation is null ? null : model.Accuracy(validation);
                }

                if (progress is not null && (endOfEpoch || (batch + 1) % reportEvery == 0))
                {
                    progress.Report(new TrainingProgress(
                        epoch, options.Epochs, batch + 1, batchCount, lossSum / seen, (double)correct / seen,
                        endOfEpoch ? validationAccuracy : null, rate, clock.Elapsed));
                }
            }
        }

        return new TrainingSummary(epochLoss, epochAccuracy, validationAccuracy, clock.Elapsed);
    }
}
