namespace CoDesign.Model.Files;

/// <summary>
/// Output files: <see cref="Check"/> finds a path that cannot be written before any long work starts,
/// and <see cref="WriteAtomically(string, string, Action{Stream})"/> writes a temporary file in the
/// same folder and renames it over the target, so a crash or a full disk never leaves half a file.
/// Folders are never created: a missing one is more likely a typo than a wish. Every problem is an
/// <see cref="ArgumentException"/> whose message reads "<c>what path: problem</c>", e.g.
/// "--out /x/y/m.cdsm: /x/y is not a folder that exists".
/// </summary>
public static class OutputFile
{
    /// <summary>Checks that <paramref name="path"/> can be written: not a folder, its folder exists and accepts new files.</summary>
    /// <param name="path">The file to be written.</param>
    /// <param name="what">What names the path in messages: an option ("--out") or the kind of file ("model file").</param>
    public static void Check(string path, string what)
    {
        string folder = Folder(path, what);
        // Creating the temporary file the write would create is the one test of permission that
        // covers every case (read-only mounts, ACLs, quotas).
        string probe = TemporaryPath(folder, path);
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(path, what, $"cannot create a file in {folder}: {Reason(e, probe, path)}", e);
        }
        finally
        {
            TryDelete(probe);
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically (see the class).</summary>
    public static void WriteAtomically(string path, string what, ReadOnlyMemory<byte> bytes) =>
        WriteAtomically(path, what, stream => stream.Write(bytes.Span));

    /// <summary>Creates a temporary file beside <paramref name="path"/>, lets <paramref name="write"/> fill it, then renames it to <paramref name="path"/>; on any failure the temporary file is deleted.</summary>
    public static void WriteAtomically(string path, string what, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string folder = Folder(path, what);
        string temporary = TemporaryPath(folder, path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e)
        {
            TryDelete(temporary);
            if (e is IOException or UnauthorizedAccessException)
            {
                throw Failure(path, what, $"cannot be written: {Reason(e, temporary, path)}", e);
            }

            throw;
        }
    }

    /// <summary>The folder <paramref name="path"/> would be written in, after the checks that need no writing.</summary>
    private static string Folder(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what}: no usable file name was given");
        }

        if (Directory.Exists(path))
        {
            throw Failure(path, what, "is a folder; give the name of a file to write", null);
        }

        if (path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar))
        {
            throw Failure(path, what, $"ends with {path[^1]}, so it names a folder; give the name of a file to write", null);
        }

        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? full;
        if (!Directory.Exists(folder))
        {
            throw Failure(path, what, $"{folder} is not a folder that exists", null);
        }

        return folder;
    }

    private static string TemporaryPath(string folder, string path) =>
        Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    private static ArgumentException Failure(string path, string what, string problem, Exception? inner) => new($"{what} {path}: {problem}", inner);

    /// <summary>Why a file could not be created or written, in the system's words, without the temporary file's name.</summary>
    private static string Reason(Exception e, string temporary, string path) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "the folder does not accept new files",
        PathTooLongException => "the name is too long",
        _ => e.Message.Replace(temporary, path, StringComparison.Ordinal),
    };

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure is what the user needs to hear about.
        }
    }
}
