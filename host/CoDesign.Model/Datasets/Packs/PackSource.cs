using CoDesign.Model.Files;
using StbImageSharp;

namespace CoDesign.Model.Datasets.Packs;

/// <summary>
/// What <c>codesign pack</c> reads: an IDX images file (its labels file beside it, as Fashion-MNIST
/// and MNIST ship them), or a folder in the ImageFolder convention (one subfolder per class, the sorted
/// subfolder names giving the labels, PNG, JPEG, BMP or PGM files decoded to 8-bit grey). Records come
/// one at a time, so a bad file stops the pack at that file with its name and the reason.
/// </summary>
public sealed class PackSource
{
    /// <summary>The largest image file read (a 4096 x 4096 PGM is 16 MiB).</summary>
    public const long MaxImageBytes = 64L * 1024 * 1024;

    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".pgm", ".pnm"];

    private readonly IReadOnlyList<(string Path, int Label)> _files;
    private readonly LabeledImages? _idx;

    private PackSource(string description, int width, int height, IReadOnlyList<string> classes, IReadOnlyList<(string Path, int Label)> files, LabeledImages? idx)
    {
        Description = description;
        Width = width;
        Height = height;
        Classes = classes;
        _files = files;
        _idx = idx;
    }

    /// <summary>What was read, in words.</summary>
    public string Description { get; }

    /// <summary>Image width: the IDX file's, or the first image's.</summary>
    public int Width { get; }

    /// <summary>Image height: the IDX file's, or the first image's.</summary>
    public int Height { get; }

    /// <summary>Class names (the subfolders), or none for IDX files.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Records the source holds.</summary>
    public int Count => _idx?.Count ?? _files.Count;

    /// <summary>
    /// Opens <paramref name="source"/>; <see cref="InvalidDataException"/> or <see cref="FileNotFoundException"/>
    /// say what is wrong with it (which file, and why).
    /// </summary>
    public static PackSource Open(string source)
    {
        if (File.Exists(source))
        {
            return OpenIdx(source);
        }

        if (!Directory.Exists(source))
        {
            throw new FileNotFoundException($"{source}: no such file or folder");
        }

        string[] classes = [.. Directory.GetDirectories(source).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order(StringComparer.Ordinal)!];
        if (classes.Length == 0)
        {
            string? idx = Directory.GetFiles(source, "*-images-idx3-ubyte*").Order(StringComparer.Ordinal).FirstOrDefault();
            throw new InvalidDataException(idx is null
                ? $"{source}: no class subfolders (the ImageFolder convention: one subfolder of images per class)"
                : $"{source}: holds IDX files, not class subfolders; name one images file, e.g. {idx}");
        }

        var files = new List<(string Path, int Label)>();
        for (int label = 0; label < classes.Length; label++)
        {
            files.AddRange(Directory.GetFiles(Path.Combine(source, classes[label]))
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()) && !Path.GetFileName(f).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .Select(f => (f, label)));
        }

        if (files.Count == 0)
        {
            throw new InvalidDataException($"{source}: its {classes.Length} class subfolders hold no images ({string.Join(", ", ImageExtensions)})");
        }

        (int width, int height) = Decode(files[0].Path, null).Size;
        return new PackSource($"{files.Count:N0} images in {classes.Length} class folders of {source}", width, height, classes, files, null);
    }

    /// <summary>The records in order: label and pixels (the span is reused between records).</summary>
    public IEnumerable<(int Label, byte[] Pixels)> Records()
    {
        if (_idx is not null)
        {
            var pixels = new byte[_idx.ImageSize];
            for (int i = 0; i < _idx.Count; i++)
            {
                _idx.Image(i).CopyTo(pixels);
                yield return (_idx.Labels[i], pixels);
            }

            yield break;
        }

        foreach ((string path, int label) in _files)
        {
            yield return (label, Decode(path, (Width, Height)).Pixels);
        }
    }

    /// <summary>Every record in memory, as training and inference take them (labels must fit a byte: at most 256 classes).</summary>
    public LabeledImages ReadAll()
    {
        if (_idx is not null)
        {
            return _idx;
        }

        if (Classes.Count > byte.MaxValue + 1)
        {
            throw new InvalidDataException($"{Description}: {Classes.Count} classes; training and inference take at most 256");
        }

        var pixels = new byte[(long)Count * Width * Height];
        var labels = new byte[Count];
        int i = 0;
        foreach ((int label, byte[] image) in Records())
        {
            image.CopyTo(pixels, (long)i * image.Length);
            labels[i++] = (byte)label;
        }

        return new LabeledImages(pixels, labels, Width, Height);
    }

    private static PackSource OpenIdx(string images)
    {
        string name = Path.GetFileName(images);
        if (!name.Contains("-images-idx3-ubyte", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{images}: not an IDX images file (NAME-images-idx3-ubyte[.gz]) nor a folder of class subfolders");
        }

        string labels = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(images))!, name.Replace("-images-idx3-ubyte", "-labels-idx1-ubyte", StringComparison.Ordinal));
        if (!File.Exists(labels))
        {
            throw new FileNotFoundException($"{images}: its labels file {labels} is missing");
        }

        LabeledImages set = IdxReader.ReadLabeled(images, labels);
        return new PackSource($"{set.Count:N0} images of {set.Width} x {set.Height} from {images}", set.Width, set.Height, [], [], set);
    }

    /// <summary>One image as 8-bit grey; it must be <paramref name="size"/> when given.</summary>
    private static ((int Width, int Height) Size, byte[] Pixels) Decode(string path, (int Width, int Height)? size)
    {
        int width;
        int height;
        byte[] pixels;
        try
        {
            byte[] bytes = InputFile.ReadAllBytes(path, "image", MaxImageBytes, problem => new InvalidDataException($"{path}: {problem}"));
            if (PgmImage.Is(bytes))
            {
                (width, height, pixels) = PgmImage.Decode(bytes);
            }
            else
            {
                ImageResult image = ImageResult.FromMemory(bytes, ColorComponents.Grey);
                (width, height, pixels) = (image.Width, image.Height, image.Data);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or InvalidDataException or NotSupportedException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{path}: not an image this reads (PNG, JPEG, BMP, PGM): {e.Message}", e);
        }

        if (size is { } expected && (width, height) != expected)
        {
            throw new InvalidDataException($"{path}: {width} x {height} pixels; the pack's images are {expected.Width} x {expected.Height} (the first image's size)");
        }

        return ((width, height), pixels);
    }
}
