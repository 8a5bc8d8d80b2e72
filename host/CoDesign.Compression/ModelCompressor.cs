using System.Diagnostics;
using System.Globalization;
using CoDesign.Model;
using CoDesign.Model.Datasets;

namespace CoDesign.Compression;

/// <summary>
/// The "compress" stage end to end: dense float network -> gradual magnitude pruning with retraining
/// -> k-means weight sharing (15 shared values + zero per layer) with fine-tuning -> integer
/// quantization -> <see cref="SparseModel"/>. Accuracies are measured on an evaluation set that no
/// stage trains or calibrates on.
/// </summary>
public static class ModelCompressor
{
    /// <summary>
    /// Trains a dense network of <c>input -> options.HiddenSizes -> classes</c> from a seeded random
    /// start, then compresses it with <see cref="Compress"/>.
    /// </summary>
    /// <param name="train">Training images (also used for calibration).</param>
    /// <param name="evaluation">Images to report accuracies on (the test set).</param>
    /// <param name="options">Pipeline settings.</param>
    /// <param name="progress">Receives reports from every stage.</param>
    /// <param name="cancellationToken">Stops between minibatches.</param>
    public static CompressionResult TrainAndCompress(
        LabeledImages train,
        LabeledImages evaluation,
        CompressionOptions options,
        IProgress<CompressionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (options.LayerDensities.Count != options.HiddenSizes.Count + 1)
        {
            // Checked before training, not after minutes of it.
            throw new ArgumentException(
                $"{options.LayerDensities.Count} layer densities for a network of {options.HiddenSizes.Count + 1} layers (hidden sizes {string.Join(",", options.HiddenSizes)})", nameof(options));
        }

        int classes = Math.Max(train.Labels.DefaultIfEmpty().Max(), evaluation.Labels.DefaultIfEmpty().Max()) + 1;
        DenseMlp dense = DenseMlp.CreateRandom([train.ImageSize, .. options.HiddenSizes, classes], options.Seed);
        var plan = new Plan(options, includeDenseTraining: true);
        var clock = Stopwatch.StartNew();
        MlpTrainer.Train(
            dense,
            train,
            options.DenseTraining with { Seed = options.Seed },
            progress: plan.Training(progress, CompressionStage.DenseTraining, "training the dense network"),
            cancellationToken: cancellationToken);
        TimeSpan trainingTime = clock.Elapsed;
        return CompressTrained(dense, train, evaluation, options, plan, progress, trainingTime, cancellationToken);
    }

    /// <summary>
    /// Compresses an already trained <paramref name="dense"/> network (left unchanged): prune to
    /// <c>options.LayerDensities</c>, share weights, quantize, and measure accuracies on
    /// <paramref name="evaluation"/>.
    /// </summary>
    /// <param name="dense">The trained float network; it is copied, not modified.</param>
    /// <param name="train">Training images for retraining and calibration.</param>
    /// <param name="evaluation">Images to report accuracies on (the test set).</param>
    /// <param name="options">Pipeline settings (<see cref="CompressionOptions.DenseTraining"/> and <see cref="CompressionOptions.HiddenSizes"/> are not used).</param>
    /// <param name="progress">Receives reports from every stage.</param>
    /// <param name="cancellationToken">Stops between minibatches.</param>
    public static CompressionResult Compress(
        DenseMlp dense,
        LabeledImages train,
        LabeledImages evaluation,
        CompressionOptions options,
        IProgress<CompressionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        return CompressTrained(dense, train, evaluation, options, new Plan(options, includeDenseTraining: false), progress, TimeSpan.Zero, cancellationToken);
    }

    /// <summary>
    /// Fraction of <paramref name="data"/> that <paramref name="model"/> classifies correctly under the
    /// bit-exact <see cref="DenseIntegerReference"/>, using all cores.
    /// </summary>
    public static double IntegerAccuracy(SparseModel model, LabeledImages data)
    {
        if (data.ImageSize != model.InputSize)
        {
            throw new ArgumentException($"images have {data.ImageSize} pixels, the model takes {model.InputSize}", nameof(data));
        }

        var reference = new DenseIntegerReference(model);
        int correct = 0;
        Parallel.For(0, data.Count, () => 0, (i, _, count) => count + (reference.Classify(data.Image(i)) == data.Labels[i] ? 1 : 0),
            count => Interlocked.Add(ref correct, count));
        return (double)correct / data.Count;
    }

    private static CompressionResult CompressTrained(
        DenseMlp dense,
        LabeledImages train,
        LabeledImages evaluation,
        CompressionOptions options,
        Plan plan,
        IProgress<CompressionProgress>? progress,
        TimeSpan trainingTime,
        CancellationToken cancellationToken)
    {
        if (options.LayerDensities.Count != dense.LayerCount)
        {
            throw new ArgumentException($"{options.LayerDensities.Count} layer densities for a network of {dense.LayerCount} layers", nameof(options));
        }

        var clock = Stopwatch.StartNew();
        progress?.Report(new CompressionProgress(CompressionStage.Evaluation, "measuring the dense network", plan.Start(CompressionStage.Pruning), null));
        double denseAccuracy = dense.Accuracy(evaluation);

        DenseMlp shared = dense.Clone();
        MagnitudePruner.PruneGradually(
            shared,
            train,
            options.LayerDensities,
            options.PruningSteps,
            options.PruningRetraining with { Seed = options.Seed + 1000 },
            progress is null ? null : new ForwardingProgress<PruningProgress>(p => progress.Report(new CompressionProgress(
                CompressionStage.Pruning,
                $"pruning step {p.Step}/{p.StepCount} to densities {string.Join(", ", p.Densities.Select(d => d.ToString("P1", CultureInfo.InvariantCulture)))}",
                plan.Start(CompressionStage.Pruning) + (plan.Span(CompressionStage.Pruning) * p.Fraction),
                p.Training))),
            cancellationToken);

        progress?.Report(new CompressionProgress(CompressionStage.WeightSharing, "clustering weights into 15 shared values per layer", plan.Start(CompressionStage.WeightSharing), null));
        WeightCodebook[] codebooks = KMeansCodebook.ShareWeights(shared);
        MlpTrainer.FineTuneCodebooks(
            shared,
            codebooks,
            train,
            options.CodebookFineTuning with { Seed = options.Seed + 2000 },
            progress: plan.Training(progress, CompressionStage.WeightSharing, "fine-tuning the shared values"),
            cancellationToken: cancellationToken);

        progress?.Report(new CompressionProgress(CompressionStage.Quantization, "quantizing to 16-bit codebooks and 8-bit activations", plan.Start(CompressionStage.Quantization), null));
        SparseModel quantized = ModelQuantizer.Quantize(shared, codebooks, train, options.Quantization, options.ModelName);

        progress?.Report(new CompressionProgress(CompressionStage.Evaluation, "measuring the compressed network", plan.Start(CompressionStage.Evaluation), null));
        double sharedAccuracy = shared.Accuracy(evaluation);
        double integerAccuracy = IntegerAccuracy(quantized, evaluation);
        double[] layerDensities = [.. quantized.Layers.Select(l => l.Weights.Density)];
        long nonzeros = quantized.Layers.Sum(l => l.Weights.NonzeroCount);
        double density = (double)nonzeros / quantized.Layers.Sum(l => (long)l.Rows * l.Cols);
        TimeSpan compressionTime = clock.Elapsed;

        var metadata = new Dictionary<string, string>(quantized.Metadata)
        {
            ["producer"] = "CoDesign.Compression.ModelCompressor",
            ["layer_sizes"] = string.Join(",", dense.LayerSizes),
            ["seed"] = Format(options.Seed),
            ["train_images"] = Format(train.Count),
            ["evaluation_images"] = Format(evaluation.Count),
            ["dense_accuracy"] = Format(denseAccuracy),
            ["shared_float_accuracy"] = Format(sharedAccuracy),
            ["integer_accuracy"] = Format(integerAccuracy),
            ["density"] = Format(density),
            ["nonzero_weights"] = Format(nonzeros),
            ["weight_bits"] = "4",
            ["activation_bits"] = "8",
            ["pe_count"] = Format(options.PeCount),
            ["dense_epochs"] = Format(trainingTime > TimeSpan.Zero ? options.DenseTraining.Epochs : 0),
            ["pruning_steps"] = Format(options.PruningSteps),
            ["pruning_epochs_per_step"] = Format(options.PruningRetraining.Epochs),
            ["codebook_epochs"] = Format(options.CodebookFineTuning.Epochs),
            ["activation_percentile"] = Format(options.ActivationPercentile),
            ["training_seconds"] = Format(Math.Round(trainingTime.TotalSeconds, 1)),
            ["compression_seconds"] = Format(Math.Round(compressionTime.TotalSeconds, 1)),
        };
        for (int l = 0; l < layerDensities.Length; l++)
        {
            metadata[$"layer{l}.density"] = Format(layerDensities[l]);
        }

        var model = new SparseModel(quantized.Name, quantized.InputSize, quantized.Layers, metadata);
        progress?.Report(new CompressionProgress(CompressionStage.Evaluation, "done", 1.0, null));
        return new CompressionResult(
            model, dense, shared, codebooks, denseAccuracy, sharedAccuracy, integerAccuracy, layerDensities, density, trainingTime, compressionTime);
    }

    private static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Where each stage sits on the 0..1 progress scale, weighted by its epochs.</summary>
    private sealed class Plan
    {
        private readonly double[] _start;
        private readonly double[] _span;

        public Plan(CompressionOptions options, bool includeDenseTraining)
        {
            // Quantization and evaluation cost about an epoch of training each; every stage weighs at least that.
            double[] weights =
            [
                includeDenseTraining ? options.DenseTraining.Epochs : 0,
                Math.Max(1, options.PruningSteps * options.PruningRetraining.Epochs),
                Math.Max(1, options.CodebookFineTuning.Epochs),
                1,
                1,
            ];
            double total = weights.Sum();
            _start = new double[weights.Length];
            _span = new double[weights.Length];
            double position = 0;
            for (int s = 0; s < weights.Length; s++)
            {
                _start[s] = position / total;
                _span[s] = weights[s] / total;
                position += weights[s];
            }
        }

        public double Start(CompressionStage stage) => _start[(int)stage];

        public double Span(CompressionStage stage) => _span[(int)stage];

        /// <summary>Translates a training run's reports into pipeline reports for <paramref name="stage"/>.</summary>
        public IProgress<TrainingProgress>? Training(IProgress<CompressionProgress>? target, CompressionStage stage, string description) =>
            target is null
                ? null
                : new ForwardingProgress<TrainingProgress>(p => target.Report(new CompressionProgress(stage, description, Start(stage) + (Span(stage) * p.Fraction), p)));
    }
}
