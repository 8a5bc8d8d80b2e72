using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CoDesign.Runtime.Devices.Serial;

/// <summary>
/// An open Linux file descriptor (a tty, a pty master) in non-blocking mode, read and written through
/// poll() so that every wait can be woken: <see cref="Dispose"/> writes to a private pipe that each
/// wait also polls, so a thread blocked in <see cref="Read"/> or <see cref="Write"/> returns at once.
/// The descriptor is closed only after the last call using it has returned (reference counted by a
/// <see cref="SafeHandle"/>), so a descriptor number is never reused under a running call.
/// </summary>
internal sealed class FileDescriptor : IDisposable
{
    private readonly Handle _fd;
    private readonly Handle _wakeRead;
    private readonly Handle _wakeWrite;
    private int _disposed;

    /// <summary>Takes ownership of <paramref name="fd"/> and switches it to non-blocking mode.</summary>
    /// <param name="fd">An open descriptor; closed by <see cref="Dispose"/> (also when this constructor throws).</param>
    /// <param name="name">Names the descriptor in error messages, e.g. the port path.</param>
    public FileDescriptor(int fd, string name)
    {
        _fd = new Handle(fd);
        Name = name;
        try
        {
            int flags = Libc.Fcntl(fd, Libc.FGetFl, 0);
            if (flags < 0 || Libc.Fcntl(fd, Libc.FSetFl, flags | Libc.ONonBlock) < 0)
            {
                throw Failure("cannot make non-blocking", Marshal.GetLastPInvokeError());
            }

            Span<int> pipe = stackalloc int[2];
            if (Libc.Pipe2(ref pipe[0], Libc.OCloExec | Libc.ONonBlock) < 0)
            {
                throw Failure("cannot create the wake-up pipe for", Marshal.GetLastPInvokeError());
            }

            _wakeRead = new Handle(pipe[0]);
            _wakeWrite = new Handle(pipe[1]);
        }
        catch
        {
            _fd.Dispose();
            throw;
        }
    }

    /// <summary>What error messages call this descriptor.</summary>
    public string Name { get; }

    /// <summary>True once <see cref="Dispose"/> has been called.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Runs <paramref name="call"/> with the raw descriptor, which stays open until it returns.</summary>
    public void Use(Action<int> call) => Use(fd =>
    {
        call(fd);
        return true;
    });

    /// <summary>
    /// Runs <paramref name="call"/> with the raw descriptor, which stays open until it returns.
    /// Throws <see cref="ObjectDisposedException"/> once disposed.
    /// </summary>
    public T Use<T>(Func<int, T> call)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            return call((int)_fd.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Reads at least one byte, waiting as long as <paramref name="timeoutMilliseconds"/> allows
    /// (negative: forever). Returns 0 at end of stream (the line was hung up) and when disposed while
    /// waiting; throws <see cref="TimeoutException"/> when the time runs out and
    /// <see cref="IOException"/> on an error of the device.
    /// </summary>
    public int Read(Span<byte> buffer, int timeoutMilliseconds)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        bool fdAdded = false, wakeAdded = false;
        try
        {
            _fd.DangerousAddRef(ref fdAdded);
            _wakeRead.DangerousAddRef(ref wakeAdded);
            int fd = (int)_fd.DangerousGetHandle();
            long deadline = Deadline(timeoutMilliseconds);
            bool hungUp = false;
            while (!IsDisposed)
            {
                nint read = Libc.Read(fd, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);
                if (read >= 0)
                {
                    return (int)read;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EIntr)
                {
                    continue;
                }

                if (errno != Libc.EAgain)
                {
                    throw Failure("cannot read from", errno);
                }

                if (hungUp)
                {
                    return 0; // poll reported a hang-up, yet there is nothing to read: the line is gone
                }

                switch (Wait(fd, Libc.PollIn, deadline))
                {
                    case WaitResult.Woken:
                        return 0;
                    case WaitResult.TimedOut:
                        throw new TimeoutException($"no data from '{Name}' within {timeoutMilliseconds} ms");
                    case WaitResult.HungUp:
                        hungUp = true;
                        break;
                }
            }

            return 0;
        }
        finally
        {
            Release(fdAdded, wakeAdded);
        }
    }

    /// <summary>
    /// Writes every byte of <paramref name="buffer"/>, waiting for room as long as
    /// <paramref name="timeoutMilliseconds"/> allows (negative: forever). Throws
    /// <see cref="ObjectDisposedException"/> when disposed meanwhile, <see cref="TimeoutException"/>
    /// when the time runs out and <see cref="IOException"/> on an error of the device.
    /// </summary>
    public void Write(ReadOnlySpan<byte> buffer, int timeoutMilliseconds)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        bool fdAdded = false, wakeAdded = false;
        try
        {
            _fd.DangerousAddRef(ref fdAdded);
            _wakeRead.DangerousAddRef(ref wakeAdded);
            int fd = (int)_fd.DangerousGetHandle();
            long deadline = Deadline(timeoutMilliseconds);
            int done = 0;
            while (done < buffer.Length)
            {
                ObjectDisposedException.ThrowIf(IsDisposed, this);
                ReadOnlySpan<byte> rest = buffer[done..];
                nint written = Libc.Write(fd, ref MemoryMarshal.GetReference(rest), (nuint)rest.Length);
                if (written > 0)
                {
                    done += (int)written;
                    continue;
                }

                int errno = written < 0 ? Marshal.GetLastPInvokeError() : Libc.EAgain;
                if (errno == Libc.EIntr)
                {
                    continue;
                }

                if (errno != Libc.EAgain)
                {
                    throw Failure("cannot write to", errno);
                }

                switch (Wait(fd, Libc.PollOut, deadline))
                {
                    case WaitResult.Woken:
                        throw new ObjectDisposedException(Name, $"'{Name}' was closed while {buffer.Length - done} of {buffer.Length} bytes were waiting to be written");
                    case WaitResult.TimedOut:
                        throw new TimeoutException($"'{Name}' accepted {done} of {buffer.Length} bytes within {timeoutMilliseconds} ms (is the other side reading?)");
                    case WaitResult.HungUp:
                        throw new IOException($"cannot write to '{Name}': the line was hung up (was the device unplugged?)");
                }
            }
        }
        finally
        {
            Release(fdAdded, wakeAdded);
        }
    }

    /// <summary>Wakes every waiting call, then closes the descriptor once the last call has returned.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // A byte in the pipe makes every poll, present and future, return; closing the write end
        // would too (POLLHUP), the byte just does not depend on it.
        Span<byte> one = [1];
        Libc.Write((int)_wakeWrite.DangerousGetHandle(), ref one[0], 1);
        _wakeWrite.Dispose();
        _fd.Dispose();
        _wakeRead.Dispose();
    }

    /// <summary>An <see cref="IOException"/> naming the descriptor and the errno text.</summary>
    public IOException Failure(string what, int errno) => new($"{what} '{Name}': {Libc.Describe(errno)}");

    private static long Deadline(int timeoutMilliseconds) =>
        timeoutMilliseconds < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMilliseconds;

    private WaitResult Wait(int fd, short events, long deadline)
    {
        Span<Libc.PollFd> fds = stackalloc Libc.PollFd[2];
        fds[0] = new Libc.PollFd(fd, events);
        fds[1] = new Libc.PollFd((int)_wakeRead.DangerousGetHandle(), Libc.PollIn);
        while (true)
        {
            int timeout = deadline == long.MaxValue ? -1 : (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);
            int ready = Libc.Poll(ref fds[0], 2, timeout);
            if (ready < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EIntr)
                {
                    continue;
                }

                throw Failure("cannot wait for", errno);
            }

            if (fds[1].ReturnedEvents != 0 || IsDisposed)
            {
                return WaitResult.Woken;
            }

            if (ready == 0)
            {
                return WaitResult.TimedOut;
            }

            short returned = fds[0].ReturnedEvents;
            if ((returned & Libc.PollNval) != 0)
            {
                throw new ObjectDisposedException(Name);
            }

            return (returned & events) == 0 && (returned & (Libc.PollHup | Libc.PollErr)) != 0 ? WaitResult.HungUp : WaitResult.Ready;
        }
    }

    private void Release(bool fdAdded, bool wakeAdded)
    {
        if (wakeAdded)
        {
            _wakeRead.DangerousRelease();
        }

        if (fdAdded)
        {
            _fd.DangerousRelease();
        }
    }

    private enum WaitResult
    {
        Ready,
        Woken,
        TimedOut,
        HungUp,
    }

    /// <summary>Closes its descriptor when released.</summary>
    private sealed class Handle : SafeHandleMinusOneIsInvalid
    {
        public Handle(int fd)
            : base(ownsHandle: true)
        {
            SetHandle(fd);
        }

        protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
    }
}
