using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CoDesign.Runtime.Devices.Serial;

/// <summary>
/// A Linux pseudo-terminal pair: a device attaches to <see cref="Master"/> (the emulator, the
/// Verilated RTL behind <c>codesign serve</c>) and the host opens <see cref="SlavePath"/>, a real tty
/// such as <c>/dev/pts/3</c>, through <see cref="SerialDevice"/> exactly as it opens <c>/dev/ttyUSB1</c>.
/// The slave keeps the kernel's default line settings (canonical mode, echo, CR/LF translation, like a
/// freshly plugged-in USB serial adapter) until its opener sets raw mode, so a host that forgot raw
/// mode fails here as it would on a board; the master needs no settings, the kernel opens it raw.
/// The pair stays usable until disposed: it holds the slave open itself, so the master sees no
/// hang-up before or between the host's sessions.
/// </summary>
public sealed partial class PseudoTerminal : IDisposable
{
    // Linux's generic values (x86-64 and arm64 alike): fcntl-linux.h, poll.h, errno-base.h.
    private const int ORdWr = 0x2, ONoCtty = 0x100, ONonBlock = 0x800, OCloExec = 0x80000;
    private const short PollIn = 0x1, PollOut = 0x4;
    private const int EIntr = 4, EIo = 5, EAgain = 11;

    // How often a blocked read or write looks whether the pair was disposed meanwhile.
    private const int WakeMilliseconds = 50;

    private readonly SafeFileHandle _master;
    private readonly SafeFileHandle _slave;
    private readonly MasterStream _stream;
    private int _disposed;

    /// <summary>
    /// Opens a new pair (<c>posix_openpt</c>, <c>grantpt</c>, <c>unlockpt</c>, <c>ptsname_r</c>).
    /// Throws <see cref="IOException"/> with the system's reason when the system has none to give.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public PseudoTerminal()
    {
        int master = PosixOpenPt(ORdWr | ONoCtty | OCloExec | ONonBlock);
        if (master < 0)
        {
            throw Failure("cannot open a pseudo-terminal (/dev/ptmx)", Marshal.GetLastPInvokeError());
        }

        _master = new SafeFileHandle(master, ownsHandle: true);
        try
        {
            if (GrantPt(_master) < 0 || UnlockPt(_master) < 0)
            {
                throw Failure("cannot unlock the pseudo-terminal", Marshal.GetLastPInvokeError());
            }

            SlavePath = SlaveName(_master);
            int slave = Open(SlavePath, ORdWr | ONoCtty | OCloExec | ONonBlock);
            if (slave < 0)
            {
                throw Failure($"cannot open the pseudo-terminal's slave '{SlavePath}'", Marshal.GetLastPInvokeError());
            }

            _slave = new SafeFileHandle(slave, ownsHandle: true);
        }
        catch
        {
            _master.Dispose();
            throw;
        }

        _stream = new MasterStream(this);
    }

    /// <summary>The slave's path, e.g. <c>/dev/pts/3</c>: what a host opens as its serial port.</summary>
    public string SlavePath { get; }

    /// <summary>
    /// The master end, the device's side of the wire: bytes written here arrive at the slave's reader
    /// and bytes written to the slave come out here. A read returns what has arrived, at least one byte,
    /// and 0 once the pair is disposed (also when disposed while it waits, within
    /// 50 ms); it throws <see cref="TimeoutException"/> after <see cref="Stream.ReadTimeout"/> (infinite
    /// by default). A write returns once every byte is in the kernel's buffer, waiting for room as long
    /// as <see cref="Stream.WriteTimeout"/> allows. Disposing it disposes the pair.
    /// </summary>
    public Stream Master => _stream;

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Closes both ends: a host reading the slave sees the line hung up.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // A call under way keeps its descriptor open (SafeHandle reference counting) until it returns,
        // which it does within WakeMilliseconds, having seen the flag; so no number is reused under it.
        _slave.Dispose();
        _master.Dispose();
    }

    private static IOException Failure(string what, int errno) => new($"{what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    private static string SlaveName(SafeFileHandle master)
    {
        Span<byte> name = stackalloc byte[128];
        int error = PtsNameR(master, ref name[0], (nuint)name.Length);
        if (error != 0)
        {
            throw Failure("cannot name the pseudo-terminal's slave", error);
        }

        int end = name.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? name : name[..end]);
    }

    private static long Deadline(int timeoutMilliseconds) =>
        timeoutMilliseconds == Timeout.Infinite ? long.MaxValue : Environment.TickCount64 + timeoutMilliseconds;

    /// <summary>Waits until the master is ready for <paramref name="events"/>, the deadline passes, or at most <see cref="WakeMilliseconds"/>.</summary>
    private void Wait(short events, long deadline)
    {
        int slice = (int)Math.Clamp(deadline - Environment.TickCount64, 0, WakeMilliseconds);
        bool added = false;
        try
        {
            _master.DangerousAddRef(ref added);
            var fd = new PollFd((int)_master.DangerousGetHandle(), events);
            if (Poll(ref fd, 1, slice) < 0 && Marshal.GetLastPInvokeError() is int errno && errno != EIntr)
            {
                throw Failure("cannot wait for the pseudo-terminal's master", errno);
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile: the caller's loop sees IsDisposed.
        }
        finally
        {
            if (added)
            {
                _master.DangerousRelease();
            }
        }
    }

    private int Read(Span<byte> buffer, int timeoutMilliseconds)
    {
        long deadline = Deadline(timeoutMilliseconds);
        while (!IsDisposed)
        {
            nint read;
            try
            {
                read = ReadNative(_master, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);
            }
            catch (ObjectDisposedException)
            {
                return 0;
            }

            if (read > 0)
            {
                return (int)read;
            }

            int errno = read == 0 ? EIo : Marshal.GetLastPInvokeError();
            if (errno == EIntr)
            {
                continue;
            }

            if (errno == EIo)
            {
                return 0; // every slave descriptor is closed: nothing more can arrive
            }

            if (errno != EAgain)
            {
                throw Failure("cannot read the pseudo-terminal's master", errno);
            }

            if (Environment.TickCount64 >= deadline)
            {
                throw new TimeoutException($"no data from the pseudo-terminal's master within {timeoutMilliseconds} ms");
            }

            Wait(PollIn, deadline);
        }

        return 0;
    }

    private void Write(ReadOnlySpan<byte> buffer, int timeoutMilliseconds)
    {
        long deadline = Deadline(timeoutMilliseconds);
        int done = 0;
        while (done < buffer.Length)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, _stream);
            ReadOnlySpan<byte> rest = buffer[done..];
            nint written = WriteNative(_master, ref MemoryMarshal.GetReference(rest), (nuint)rest.Length);
            if (written > 0)
            {
                done += (int)written;
                continue;
            }

            int errno = written < 0 ? Marshal.GetLastPInvokeError() : EAgain;
            if (errno == EIntr)
            {
                continue;
            }

            if (errno != EAgain)
            {
                throw Failure("cannot write to the pseudo-terminal's master", errno);
            }

            if (Environment.TickCount64 >= deadline)
            {
                throw new TimeoutException($"the pseudo-terminal's master accepted {done} of {buffer.Length} bytes within {timeoutMilliseconds} ms (is the slave's reader reading?)");
            }

            Wait(PollOut, deadline);
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static partial int PosixOpenPt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    private static partial int GrantPt(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    private static partial int UnlockPt(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "ptsname_r")]
    private static partial int PtsNameR(SafeFileHandle fd, ref byte buffer, nuint length);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadNative(SafeFileHandle fd, ref byte buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteNative(SafeFileHandle fd, ref byte buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, nuint count, int timeoutMilliseconds);

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd(int fd, short events)
    {
        public int Fd = fd;
        public short Events = events;
        public short ReturnedEvents;
    }

    /// <summary>The master as a duplex stream; disposing it closes the pair.</summary>
    private sealed class MasterStream(PseudoTerminal owner) : Stream
    {
        private int _readTimeout = Timeout.Infinite;
        private int _writeTimeout = Timeout.Infinite;

        public override bool CanRead => !owner.IsDisposed;

        public override bool CanWrite => !owner.IsDisposed;

        public override bool CanSeek => false;

        public override bool CanTimeout => true;

        public override int ReadTimeout
        {
            get => _readTimeout;
            set => _readTimeout = CheckTimeout(value);
        }

        public override int WriteTimeout
        {
            get => _writeTimeout;
            set => _writeTimeout = CheckTimeout(value);
        }

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            ValidateBufferArguments(buffer, offset, count);
            return Read(buffer.AsSpan(offset, count));
        }

        public override int Read(Span<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(owner.IsDisposed, this);
            return buffer.IsEmpty ? 0 : owner.Read(buffer, _readTimeout);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            ValidateBufferArguments(buffer, offset, count);
            Write(buffer.AsSpan(offset, count));
        }

        public override void Write(ReadOnlySpan<byte> buffer) => owner.Write(buffer, _writeTimeout);

        // Every write has handed its bytes to the kernel already.
        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                owner.Dispose();
            }

            base.Dispose(disposing);
        }

        private static int CheckTimeout(int milliseconds) =>
            milliseconds is >= 0 or Timeout.Infinite ? milliseconds : throw new ArgumentOutOfRangeException(nameof(milliseconds), milliseconds, "a timeout is milliseconds >= 0 or Timeout.Infinite");
    }
}
