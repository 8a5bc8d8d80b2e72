using System.Globalization;

namespace CoDesign.Model.Files;

/// <summary>
/// Opens input files for the readers with their checks done before a byte is read: the path must be
/// a regular file that exists, is not empty and is no larger than the reader's limit. Devices, pipes
/// and sockets report a size of 0, so they are refused without being opened (opening a FIFO would
/// wait for a writer; <c>/dev/zero</c> never ends). Each reader turns a problem into its own
/// exception type through <c>error</c>, which receives the problem without the path.
/// </summary>
public static class InputFile
{
    /// <summary>Checks <paramref name="path"/> and returns its length in bytes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file should be, for messages ("model file").</param>
    /// <param name="maxBytes">The largest size the format accepts.</param>
    /// <param name="error">Builds the reader's exception from a problem such as "is a folder, not a model file".</param>
    public static long Check(string path, string what, long maxBytes, Func<string, Exception> error)
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            throw error($"no usable file name was given for the {what}");
        }

        if (Directory.Exists(path))
        {
            throw error($"is a folder, not a {what}");
        }

        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw error("no such file");
        }

        long length = file.Length;
        if (length == 0)
        {
            throw error($"holds no bytes, or is not a regular file (a device, a pipe or a socket); a {what} must be a regular file");
        }

        if (length > maxBytes)
        {
            throw error($"is {length:N0} bytes, more than the {Size(maxBytes)} a {what} may have");
        }

        return length;
    }

    /// <summary>Checks <paramref name="path"/> (see <see cref="Check"/>) and opens it for sequential reading.</summary>
    public static FileStream OpenRead(string path, string what, long maxBytes, Func<string, Exception> error)
    {
        Check(path, what, maxBytes, error);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw error(CannotRead(e));
        }
    }

    /// <summary>Checks <paramref name="path"/> (see <see cref="Check"/>) and reads it whole; never more than <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadAllBytes(string path, string what, long maxBytes, Func<string, Exception> error)
    {
        using FileStream stream = OpenRead(path, what, maxBytes, error);
        try
        {
            return ReadAtMost(stream, maxBytes) ?? throw error($"grew past the {Size(maxBytes)} a {what} may have while it was read");
        }
        catch (IOException e)
        {
            throw error(CannotRead(e));
        }
    }

    /// <summary>
    /// Reads <paramref name="stream"/> to its end when it holds at most <paramref name="maxBytes"/>;
    /// null when it holds more (then only <paramref name="maxBytes"/> + 1 bytes were read). This is
    /// how a decompressing stream is kept from expanding without bound.
    /// </summary>
    public static byte[]? ReadAtMost(Stream stream, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, Array.MaxLength - 1);
        // A seekable stream says how much to expect; growth beyond that is found by the loop below.
        int expected = stream.CanSeek ? (int)Math.Clamp(stream.Length - stream.Position, 0, maxBytes) : 0;
        var buffer = new byte[Math.Max(expected + 1, 4096)];
        int filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (filled > maxBytes)
                {
                    return null;
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxBytes + 1));
            }

            int read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        if (filled > maxBytes)
        {
            return null;
        }

        Array.Resize(ref buffer, filled);
        return buffer;
    }

    /// <summary>A size for messages: "256 MiB" when it is a whole number of MiB, else the bytes.</summary>
    public static string Size(long bytes) =>
        bytes >= 1 << 20 && bytes % (1 << 20) == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 20:N0} MiB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

    private static string CannotRead(Exception e) =>
        e is UnauthorizedAccessException ? "cannot be read: permission denied" : $"cannot be read: {e.Message}";
}
