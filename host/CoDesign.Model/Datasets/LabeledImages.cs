namespace CoDesign.Model.Datasets;

/// <summary>A set of 8-bit grayscale images with one class label each, stored contiguously.</summary>
public sealed class LabeledImages
{
    /// <summary>Creates the set; <paramref name="pixels"/> holds <c>labels.Length</c> images of <c>width*height</c> bytes.</summary>
    public LabeledImages(byte[] pixels, byte[] labels, int width, int height)
    {
        if (pixels.Length != (long)labels.Length * width * height)
        {
            throw new ArgumentException($"{pixels.Length} pixel bytes do not make {labels.Length} images of {width}x{height}", nameof(pixels));
        }

        Pixels = pixels;
        Labels = labels;
        Width = width;
        Height = height;
    }

    /// <summary>All pixels, image after image, row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Class label per image.</summary>
    public byte[] Labels { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Bytes per image.</summary>
    public int ImageSize => Width * Height;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageSize, ImageSize);

    /// <summary>The first <paramref name="count"/> images (all of them when count is larger).</summary>
    public LabeledImages Take(int count)
    {
        count = Math.Min(count, Count);
        return new LabeledImages(Pixels[..(count * ImageSize)], Labels[..count], Width, Height);
    }
}
