namespace CoDesign.Runtime.Link;

/// <summary>
/// One end of an in-memory duplex wire, for devices that run in this process (the emulator) and for
/// tests. Reads block until the other end writes; disposing either end closes both directions.
/// </summary>
public sealed class LoopbackStream : Stream
{
    private readonly ByteQueue _incoming;
    private readonly ByteQueue _outgoing;

    private LoopbackStream(ByteQueue incoming, ByteQueue outgoing)
    {
        _incoming = incoming;
        _outgoing = outgoing;
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Creates the two connected ends.</summary>
    public static (LoopbackStream Host, LoopbackStream Device) CreatePair()
    {
        var toDevice = new ByteQueue();
        var toHost = new ByteQueue();
        return (new LoopbackStream(toHost, toDevice), new LoopbackStream(toDevice, toHost));
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => _incoming.Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer) => _incoming.Read(buffer);

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => _outgoing.Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer) => _outgoing.Write(buffer);

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _incoming.Complete();
        _outgoing.Complete();
        // Stryker disable once Statement : equivalent, see tests/mutation/EQUIVALENT.md (Stream.Dispose(bool) does nothing)
        base.Dispose(disposing);
    }
}
