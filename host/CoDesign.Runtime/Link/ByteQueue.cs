namespace CoDesign.Runtime.Link;

/// <summary>A blocking first-in first-out byte buffer (a growable ring): one direction of an in-memory wire.</summary>
internal sealed class ByteQueue
{
    private readonly object _gate = new(); // Monitor.Wait needs a monitor, not a System.Threading.Lock
    private byte[] _ring = new byte[64 * 1024];
    private int _head;
    private int _count;
    private bool _completed;

    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (_completed)
            {
                throw new IOException("the other end of the link is closed");
            }

            if (_count + data.Length > _ring.Length)
            {
                Grow(_count + data.Length);
            }

            int tail = (_head + _count) % _ring.Length;
            int first = Math.Min(data.Length, _ring.Length - tail);
            data[..first].CopyTo(_ring.AsSpan(tail));
            data[first..].CopyTo(_ring);
            _count += data.Length;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Blocks until at least one byte is there; returns 0 once completed and drained.</summary>
    public int Read(Span<byte> destination)
    {
        lock (_gate)
        {
            while (_count == 0 && !_completed)
            {
                Monitor.Wait(_gate);
            }

            int count = Math.Min(destination.Length, _count);
            int first = Math.Min(count, _ring.Length - _head);
            _ring.AsSpan(_head, first).CopyTo(destination);
            _ring.AsSpan(0, count - first).CopyTo(destination[first..]);
            _head = (_head + count) % _ring.Length;
            _count -= count;
            return count;
        }
    }

    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void Grow(int needed)
    {
        // Stryker disable once Arithmetic : equivalent, see tests/mutation/EQUIVALENT.md (needed exceeds half the old size anyway)
        var larger = new byte[Math.Max(needed, _ring.Length * 2)];
        int first = Math.Min(_count, _ring.Length - _head);
        _ring.AsSpan(_head, first).CopyTo(larger);
        _ring.AsSpan(0, _count - first).CopyTo(larger.AsSpan(first));
        _ring = larger;
        _head = 0;
    }
}
