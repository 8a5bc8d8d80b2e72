namespace CoDesign.TestSupport;

/// <summary>
/// Wraps a stream and lets a test damage what is written through it: each write (the link writes one
/// whole frame per call) goes through <c>tamper</c>, which returns the bytes to pass on: the same,
/// altered, fewer, or none (a lost frame). Reads pass through untouched.
/// </summary>
public sealed class FaultInjectingStream(Stream inner, Func<int, byte[], byte[]> tamper) : Stream
{
    private int _writes;

    /// <summary>A stream that shows each write to <paramref name="pass"/> and passes it on whole, or drops it (a lost frame) when that says no.</summary>
    public static FaultInjectingStream Tap(Stream inner, Func<byte[], bool> pass) => new(inner, (_, bytes) => pass(bytes) ? bytes : []);

    /// <summary>Writes seen so far.</summary>
    public int Writes => _writes;

    /// <inheritdoc/>
    public override bool CanRead => inner.CanRead;

    /// <inheritdoc/>
    public override bool CanWrite => inner.CanWrite;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        int index = Interlocked.Increment(ref _writes) - 1;
        byte[] passed = tamper(index, buffer.ToArray());
        if (passed.Length > 0)
        {
            inner.Write(passed);
        }
    }

    /// <inheritdoc/>
    public override void Flush() => inner.Flush();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
