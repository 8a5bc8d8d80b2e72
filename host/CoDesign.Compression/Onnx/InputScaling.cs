using System.Globalization;

namespace CoDesign.Compression.Onnx;

/// <summary>
/// How an imported network's inputs come from 8-bit pixels: <c>input = (pixel - Mean) * Scale</c>.
/// The default, <c>Scale = 1/255</c> and <c>Mean = 0</c>, is torchvision's <c>ToTensor</c>; its
/// <c>Normalize(m, s)</c> after it is <c>Mean = 255 m</c>, <c>Scale = 1 / (255 s)</c>; raw pixels are
/// <c>Scale = 1</c>.
/// </summary>
/// <param name="Scale">Factor applied after the mean is subtracted; finite and not zero.</param>
/// <param name="Mean">Subtracted from every pixel (0..255 units); finite.</param>
public sealed record InputScaling(double Scale, double Mean)
{
    /// <summary>torchvision's <c>ToTensor</c>: pixels / 255.</summary>
    public static InputScaling PixelsOver255 { get; } = new(1.0 / 255, 0);

    /// <summary>Whether these are the inputs <see cref="DenseMlp"/> computes itself (pixels / 255), so no folding is needed.</summary>
    public bool IsDefault => Mean == 0 && Math.Abs((Scale * 255) - 1) < 1e-12;

    /// <summary>The scaling in words, for notes and metadata.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"(pixel - {Mean:0.######}) * {Scale:0.#########}");

    /// <summary>Throws <see cref="ArgumentException"/> when the scale or mean cannot describe an input.</summary>
    public void Validate()
    {
        if (!double.IsFinite(Scale) || Scale == 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--input-scale {Scale} must be a finite number other than 0"));
        }

        if (!double.IsFinite(Mean))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--input-mean {Mean} must be a finite number"));
        }
    }

    /// <summary>
    /// Folds this scaling into the first layer of <paramref name="model"/>, which <see cref="DenseMlp"/>
    /// feeds with pixels / 255: <c>W x + b</c> with <c>x = (p - m) s</c> becomes <c>(255 s W)(p / 255) + (b - m s W 1)</c>.
    /// </summary>
    public void FoldInto(DenseMlp model)
    {
        if (IsDefault)
        {
            return;
        }

        float[] weights = model.Weights[0];
        float[] biases = model.Biases[0];
        int inputs = model.InputsOf(0);
        for (int o = 0; o < biases.Length; o++)
        {
            double rowSum = 0;
            for (int i = 0; i < inputs; i++)
            {
                double w = weights[(o * inputs) + i];
                rowSum += w;
                weights[(o * inputs) + i] = (float)(w * Scale * 255);
            }

            biases[o] = (float)(biases[o] - (Mean * Scale * rowSum));
        }
    }
}
