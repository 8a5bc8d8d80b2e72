using System.Globalization;
using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Model.Datasets;

namespace CoDesign.Compression;

/// <summary>
/// Turns a pruned, weight-shared float network into the accelerator's integer <see cref="SparseModel"/>:
/// 16-bit fixed-point codebooks, 32-bit biases in accumulator units, and per-layer right shifts that
/// requantize hidden activations to unsigned 8 bits.
/// </summary>
/// <remarks>
/// <para>Scales. Every scale is a power of two, so requantization is a shift. The network's input is
/// the raw pixel (0..255): its 1/255 is folded into layer 0's weights, so the real value of one input
/// unit is 1. For layer l with input unit <c>u</c> (1 for layer 0, the previous layer's activation
/// scale otherwise) and codebook scale <c>2^-f</c>, a codebook entry is <c>round(w * fold * 2^f)</c>
/// (fold = 1/255 for layer 0, else 1), one accumulator unit is worth <c>u * 2^-f</c>, and the bias is
/// <c>round(b / (u * 2^-f))</c>. A hidden layer's output unit is <c>u * 2^(shift - f)</c>.</para>
/// <para>f is the largest exponent that keeps every codebook value within int16 and, for every row, the
/// worst case <c>255 * sum |C| + |bias|</c> within int32, so the accumulator can never wrap. The shift
/// is the smallest that maps the chosen percentile of the layer's float calibration activations to at
/// most 255; larger activations saturate.</para>
/// </remarks>
public static class ModelQuantizer
{
    private const int CalibrationBatch = 256;

    /// <summary>
    /// Quantizes <paramref name="model"/> whose weights are given by <paramref name="codebooks"/> (one
    /// per layer; the model supplies the biases and the shape). Activation ranges are measured on the
    /// first images of <paramref name="calibration"/>. Hidden layers emit 8-bit activations, the last
    /// layer raw 32-bit logits. <paramref name="metadata"/> is recorded in the model, with each layer's
    /// output scale added.
    /// </summary>
    public static SparseModel Quantize(
        DenseMlp model,
        IReadOnlyList<WeightCodebook> codebooks,
        LabeledImages calibration,
        QuantizationOptions options,
        string name,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        options.Validate();
        if (codebooks.Count != model.LayerCount)
        {
            throw new ArgumentException($"{codebooks.Count} codebooks for {model.LayerCount} layers", nameof(codebooks));
        }

        // Calibrate on exactly the weights the integer model will hold.
        DenseMlp shared = model.Clone();
        for (int l = 0; l < model.LayerCount; l++)
        {
            codebooks[l].Decode(shared.Weights[l]);
        }

        double[] percentiles = MeasureActivations(shared, calibration.Take(options.CalibrationImages), options.ActivationPercentile);
        var layers = new SparseLayer[model.LayerCount];
        var record = metadata is null ? [] : new Dictionary<string, string>(metadata);
        double inputUnit = 1.0; // a raw pixel; 1/255 is folded into layer 0's weights
        for (int l = 0; l < model.LayerCount; l++)
        {
            double fold = l == 0 ? 1.0 / 255.0 : 1.0;
            bool last = l == model.LayerCount - 1;
            (short[] table, int[] bias, int exponent) = FixedPoint(codebooks[l], shared.Biases[l], model.InputsOf(l), fold, inputUnit);
            double accumulatorUnit = inputUnit * Math.ScaleB(1.0, -exponent);
            int shift = last ? 0 : OutputShift(percentiles[l], accumulatorUnit);
            CcsMatrix weights = CcsMatrix.Encode(codebooks[l].Indices, model.OutputsOf(l), model.InputsOf(l), options.PeCount);
            layers[l] = new SparseLayer(
                weights, table, bias, last ? LayerOutput.Raw32 : LayerOutput.ReluActivations8, shift, (float)Math.ScaleB(1.0, -exponent));
            double outputUnit = accumulatorUnit * Math.ScaleB(1.0, shift);
            record[$"layer{l}.output_unit"] = outputUnit.ToString("R", CultureInfo.InvariantCulture);
            inputUnit = outputUnit;
        }

        return new SparseModel(name, model.InputSize, layers, record);
    }

    /// <summary>
    /// The codebook in int16 fixed point and the biases in accumulator units, at the largest exponent
    /// f that fits both the int16 codebook and a worst-case int32 accumulator.
    /// </summary>
    private static (short[] Table, int[] Bias, int Exponent) FixedPoint(WeightCodebook codebook, float[] biases, int cols, double fold, double inputUnit)
    {
        double largest = codebook.Centroids.Max(c => Math.Abs((double)c)) * fold;
        int exponent = largest > 0 ? (int)Math.Floor(Math.Log2(short.MaxValue / largest)) : 0;
        while (true)
        {
            var table = new short[CcsEntry.CodebookSize];
            bool fits = true;
            for (int c = 1; c < table.Length; c++)
            {
                double value = Math.Round(codebook.Centroids[c] * fold * Math.ScaleB(1.0, exponent), MidpointRounding.AwayFromZero);
                fits &= value is >= short.MinValue and <= short.MaxValue;
                table[c] = fits ? (short)value : (short)0;
            }

            double accumulatorUnit = inputUnit * Math.ScaleB(1.0, -exponent);
            var bias = new int[biases.Length];
            for (int row = 0; fits && row < biases.Length; row++)
            {
                double b = Math.Round(biases[row] / accumulatorUnit, MidpointRounding.AwayFromZero);
                double worst = Math.Abs(b);
                ReadOnlySpan<byte> indices = codebook.Indices.AsSpan(row * cols, cols);
                foreach (byte index in indices)
                {
                    worst += Math.Abs((double)table[index]) * byte.MaxValue;
                }

                fits = worst <= int.MaxValue;
                bias[row] = fits ? (int)b : 0;
            }

            if (fits)
            {
                return (table, bias, exponent);
            }

            exponent--; // halve the resolution and try again
        }
    }

    /// <summary>The smallest right shift after which <paramref name="activation"/> (real) is at most 255 output units.</summary>
    private static int OutputShift(double activation, double accumulatorUnit)
    {
        if (!(activation > 0))
        {
            return 0; // a dead layer: any shift gives zeros
        }

        double ratio = activation / (byte.MaxValue * accumulatorUnit);
        int shift = (int)Math.Ceiling(Math.Log2(ratio));
        return Math.Clamp(shift, 0, 31);
    }

    /// <summary>Per hidden layer, the given percentile of its ReLU outputs over the calibration images.</summary>
    private static double[] MeasureActivations(DenseMlp model, LabeledImages calibration, double percentile)
    {
        int hidden = model.LayerCount - 1;
        var samples = new float[hidden][];
        for (int l = 0; l < hidden; l++)
        {
            samples[l] = new float[(long)calibration.Count * model.OutputsOf(l)];
        }

        var buffers = new DenseMlp.ForwardBuffers(model, CalibrationBatch);
        for (int first = 0; first < calibration.Count; first += CalibrationBatch)
        {
            int count = Math.Min(CalibrationBatch, calibration.Count - first);
            DenseMlp.ScalePixels(calibration.Pixels.AsSpan(first * calibration.ImageSize, count * calibration.ImageSize), buffers.Activations[0]);
            model.Forward(buffers, count, parallel: true);
            for (int l = 0; l < hidden; l++)
            {
                int width = model.OutputsOf(l);
                buffers.Activations[l + 1].AsSpan(0, count * width).CopyTo(samples[l].AsSpan(first * width));
            }
        }

        return [.. samples.Select(s => Percentile(s, percentile))];
    }

    /// <summary>Nearest-rank percentile (0..100) of <paramref name="values"/>; sorts the array.</summary>
    internal static double Percentile(float[] values, double percentile)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        Array.Sort(values);
        long rank = (long)Math.Ceiling(percentile / 100.0 * values.Length);
        return values[Math.Clamp(rank - 1, 0, values.Length - 1)];
    }
}
