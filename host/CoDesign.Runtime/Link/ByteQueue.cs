namespace CoDesign.Runtime.Link;

/// <summary>A blocking first-in first-out byte buffer: one direction of an in-memory wire.</summary>
internal sealed class ByteQueue
{
    private readonly Queue<byte> _bytes = new();
    private bool _completed;

    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_bytes)
        {
            if (_completed)
            {
                throw new IOException("the other end of the link is closed");
            }

            foreach (byte b in data)
            {
                _bytes.Enqueue(b);
            }

            Monitor.PulseAll(_bytes);
        }
    }

    /// <summary>Blocks until at least one byte is there; returns 0 once completed and drained.</summary>
    public int Read(Span<byte> destination)
    {
        lock (_bytes)
        {
            while (_bytes.Count == 0 && !_completed)
            {
                Monitor.Wait(_bytes);
            }

            int count = Math.Min(destination.Length, _bytes.Count);
            for (int i = 0; i < count; i++)
            {
                destination[i] = _bytes.Dequeue();
            }

            return count;
        }
    }

    public void Complete()
    {
        lock (_bytes)
        {
            _completed = true;
            Monitor.PulseAll(_bytes);
        }
    }
}
