namespace CoDesign.Hardware;

/// <summary>
/// A running simulator process and its UART as a duplex <see cref="Stream"/>: writing sends bytes
/// into the design's rx pin, reading returns what its tx pin sent. Disposing closes the rx side,
/// which ends the simulation, and waits for the process.
/// </summary>
public sealed class SimulatorProcess : Stream
{
    private readonly System.Diagnostics.Process _process;
    private readonly Stream _toDesign;
    private readonly Stream _fromDesign;
    private readonly Task<string> _log;
    private bool _disposed;

    internal SimulatorProcess(System.Diagnostics.Process process)
    {
        _process = process;
        _toDesign = process.StandardInput.BaseStream;
        _fromDesign = process.StandardOutput.BaseStream;
        _log = process.StandardError.ReadToEndAsync();
    }

    /// <summary>What the simulator printed on standard error (its cycle count at the end).</summary>
    public string Log => _log.IsCompleted ? _log.Result : string.Empty;

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

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => _fromDesign.Read(buffer, offset, count);

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer) => _fromDesign.Read(buffer);

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => _toDesign.Write(buffer, offset, count);

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer) => _toDesign.Write(buffer);

    /// <inheritdoc/>
    public override void Flush() => _toDesign.Flush();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                _toDesign.Dispose();
            }
            catch (IOException)
            {
                // The simulator is already gone.
            }

            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
            }

            _fromDesign.Dispose();
            _process.Dispose();
        }

        base.Dispose(disposing);
    }
}
