using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;

namespace CoDesign.Runtime.Devices.Serial;

/// <summary>
/// A Linux pseudo-terminal pair: a device attaches to <see cref="Master"/> (the emulator today, the
/// Verilator simulation of the RTL later) and the host opens <see cref="SlavePath"/>, a real tty such
/// as <c>/dev/pts/3</c>, with <see cref="SerialPortStream"/> exactly as it opens <c>/dev/ttyUSB1</c>.
/// The slave keeps the kernel's default line settings (canonical mode, echo, CR/LF translation, like a
/// freshly plugged-in USB serial adapter) until its opener configures it, so a host that forgot raw
/// mode fails here as it would on a board. The pair stays usable until disposed: it holds the slave
/// open itself, so the master does not see a hang-up before or between the host's sessions.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    private const int OpenFlags = Libc.ORdWr | Libc.ONoCtty | Libc.OCloExec;
    private readonly FileDescriptor _master;
    private readonly int _slave;
    private readonly MasterStream _stream;
    private int _disposed;

    /// <summary>Opens a new pair (<c>posix_openpt</c>, <c>grantpt</c>, <c>unlockpt</c>, <c>ptsname_r</c>).</summary>
    [SupportedOSPlatform("linux")]
    public PseudoTerminal()
    {
        int master = Libc.PosixOpenPt(OpenFlags);
        if (master < 0)
        {
            throw new IOException($"cannot open a pseudo-terminal (/dev/ptmx): {Libc.Describe(Marshal.GetLastPInvokeError())}");
        }

        _master = new FileDescriptor(master, "pseudo-terminal master");
        _slave = -1;
        try
        {
            SlavePath = _master.Use(SlaveName);
            _slave = Libc.Open(SlavePath, OpenFlags | Libc.ONonBlock, 0);
            if (_slave < 0)
            {
                throw new IOException($"cannot open the pseudo-terminal's slave '{SlavePath}': {Libc.Describe(Marshal.GetLastPInvokeError())}");
            }
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
    /// and bytes written to the slave come out here. Reads block until data arrives and return 0 once
    /// the pair is disposed (or throw <see cref="TimeoutException"/> after its <see cref="Stream.ReadTimeout"/>,
    /// infinite by default). Disposing it disposes the pair.
    /// </summary>
    public Stream Master => _stream;

    /// <summary>Closes both ends: a host reading the slave sees the line hung up.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _master.Dispose();
        Libc.Close(_slave);
    }

    private static string SlaveName(int master)
    {
        if (Libc.GrantPt(master) < 0 || Libc.UnlockPt(master) < 0)
        {
            throw new IOException($"cannot unlock the pseudo-terminal: {Libc.Describe(Marshal.GetLastPInvokeError())}");
        }

        Span<byte> name = stackalloc byte[128];
        int error = Libc.PtsNameR(master, ref name[0], (nuint)name.Length);
        if (error != 0)
        {
            throw new IOException($"cannot name the pseudo-terminal's slave: {Libc.Describe(error)}");
        }

        int end = name.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? name : name[..end]);
    }

    /// <summary>The master descriptor as a stream; disposing it closes the pair.</summary>
    private sealed class MasterStream(PseudoTerminal owner) : FileDescriptorStream(owner._master)
    {
        // Unlike a serial port's, the master's Flush is allowed after the pair is closed.
        public override void Flush()
        {
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                owner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
