namespace CoDesign.Runtime.Devices.Serial;

/// <summary>
/// A duplex, unseekable <see cref="Stream"/> over a non-blocking file descriptor (a serial port, a
/// pseudo-terminal's master): reads block until at least one byte arrives and return 0 when the line
/// is hung up or the stream is disposed meanwhile; writes return once every byte has been handed to
/// the kernel. Both honour <see cref="ReadTimeout"/> and <see cref="WriteTimeout"/>. Disposing from
/// another thread wakes a blocked reader or writer at once. One reader and one writer may work
/// concurrently.
/// </summary>
public abstract class FileDescriptorStream : Stream
{
    private readonly FileDescriptor _fd;
    private int _readTimeout = Timeout.Infinite;
    private int _writeTimeout = Timeout.Infinite;

    private protected FileDescriptorStream(FileDescriptor fd) => _fd = fd;

    /// <inheritdoc/>
    public override bool CanRead => !_fd.IsDisposed;

    /// <inheritdoc/>
    public override bool CanWrite => !_fd.IsDisposed;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanTimeout => true;

    /// <summary>
    /// Milliseconds a read waits for its first byte before it throws <see cref="TimeoutException"/>;
    /// <see cref="Timeout.Infinite"/> (the default) waits until data arrives or the stream is disposed.
    /// </summary>
    public override int ReadTimeout
    {
        get => _readTimeout;
        set => _readTimeout = CheckTimeout(value);
    }

    /// <summary>
    /// Milliseconds a write waits for room in the driver's buffer before it throws
    /// <see cref="TimeoutException"/>; <see cref="Timeout.Infinite"/> by default.
    /// </summary>
    public override int WriteTimeout
    {
        get => _writeTimeout;
        set => _writeTimeout = CheckTimeout(value);
    }

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer) => _fd.Read(buffer, _readTimeout);

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer) => _fd.Write(buffer, _writeTimeout);

    /// <summary>
    /// Nothing to do: every write has already handed all its bytes to the kernel, which sends them.
    /// (It does not wait for them to leave the wire, as <c>tcdrain</c> would; the link's replies say that.)
    /// </summary>
    public override void Flush() => ObjectDisposedException.ThrowIf(_fd.IsDisposed, this);

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Wakes a blocked reader or writer and closes the descriptor.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fd.Dispose();
        }

        base.Dispose(disposing);
    }

    private static int CheckTimeout(int milliseconds) =>
        milliseconds is >= 0 or Timeout.Infinite ? milliseconds : throw new ArgumentOutOfRangeException(nameof(milliseconds), milliseconds, "a timeout is milliseconds >= 0 or Timeout.Infinite");
}
