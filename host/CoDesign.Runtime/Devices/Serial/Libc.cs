using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CoDesign.Runtime.Devices.Serial;

/// <summary>
/// The few libc calls the serial backend needs, with the constants and structure layouts of glibc on
/// Linux x86-64 and aarch64 (both use the generic termios and fcntl values; checked against
/// /usr/include/x86_64-linux-gnu/bits/termios-*.h and fcntl-linux.h, and by the serial tests, which
/// read the settings back with stty).
/// </summary>
internal static partial class Libc
{
    private const string Library = "libc";

    public const int ORdWr = 0x2;            // O_RDWR
    public const int ONoCtty = 0x100;        // O_NOCTTY (0400)
    public const int ONonBlock = 0x800;      // O_NONBLOCK (04000)
    public const int OCloExec = 0x80000;     // O_CLOEXEC (02000000)

    public const int FGetFl = 3;             // F_GETFL
    public const int FSetFl = 4;             // F_SETFL

    public const short PollIn = 0x1;
    public const short PollOut = 0x4;
    public const short PollErr = 0x8;
    public const short PollHup = 0x10;
    public const short PollNval = 0x20;

    public const int EPerm = 1;
    public const int ENoEnt = 2;
    public const int EIntr = 4;
    public const int EIo = 5;
    public const int ENxIo = 6;
    public const int EAgain = 11;
    public const int EAccess = 13;
    public const int EBusy = 16;
    public const int ENoDev = 19;
    public const int EIsDir = 21;
    public const int ENoTty = 25;

    public const int TcsaNow = 0;            // TCSANOW
    public const int TcIoFlush = 2;          // TCIOFLUSH

    // c_iflag
    public const uint IxOn = 0x400;          // 0002000
    public const uint IxAny = 0x800;         // 0004000
    public const uint IxOff = 0x1000;        // 0010000
    public const uint ICrNl = 0x100;         // 0000400

    // c_oflag
    public const uint OPost = 0x1;

    // c_cflag
    public const uint CSize = 0x30;          // 0000060
    public const uint CS8 = 0x30;            // 0000060
    public const uint CStopB = 0x40;         // 0000100
    public const uint CRead = 0x80;          // 0000200
    public const uint ParEnb = 0x100;        // 0000400
    public const uint CLocal = 0x800;        // 0004000
    public const uint CRtsCts = 0x80000000;  // 020000000000

    // c_lflag
    public const uint ISig = 0x1;
    public const uint ICanon = 0x2;
    public const uint Echo = 0x8;
    public const uint IExten = 0x8000;       // 0100000

    // c_cc indices
    public const int VTime = 5;
    public const int VMin = 6;

    /// <summary><c>sizeof(struct termios)</c> on glibc x86-64 and aarch64.</summary>
    public const int TermiosSize = 60;

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, ref byte buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, ref byte buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(ref PollFd fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(ref int fds, int flags);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int TcGetAttr(int fd, out Termios termios);

    [LibraryImport(Library, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int TcSetAttr(int fd, int optionalActions, in Termios termios);

    [LibraryImport(Library, EntryPoint = "tcflush", SetLastError = true)]
    public static partial int TcFlush(int fd, int queueSelector);

    [LibraryImport(Library, EntryPoint = "cfmakeraw")]
    public static partial void CfMakeRaw(ref Termios termios);

    [LibraryImport(Library, EntryPoint = "cfsetispeed", SetLastError = true)]
    public static partial int CfSetISpeed(ref Termios termios, uint speed);

    [LibraryImport(Library, EntryPoint = "cfsetospeed", SetLastError = true)]
    public static partial int CfSetOSpeed(ref Termios termios, uint speed);

    [LibraryImport(Library, EntryPoint = "cfgetispeed")]
    public static partial uint CfGetISpeed(in Termios termios);

    [LibraryImport(Library, EntryPoint = "cfgetospeed")]
    public static partial uint CfGetOSpeed(in Termios termios);

    [LibraryImport(Library, EntryPoint = "posix_openpt", SetLastError = true)]
    public static partial int PosixOpenPt(int flags);

    [LibraryImport(Library, EntryPoint = "grantpt", SetLastError = true)]
    public static partial int GrantPt(int fd);

    [LibraryImport(Library, EntryPoint = "unlockpt", SetLastError = true)]
    public static partial int UnlockPt(int fd);

    [LibraryImport(Library, EntryPoint = "ptsname_r", SetLastError = true)]
    public static partial int PtsNameR(int fd, ref byte buffer, nuint length);

    /// <summary>The errno text, e.g. "No such file or directory (errno 2)".</summary>
    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    /// <summary>glibc's <c>struct termios</c> on Linux: 60 bytes, <c>c_ispeed</c> at offset 52.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Termios
    {
        public uint InputFlags;
        public uint OutputFlags;
        public uint ControlFlags;
        public uint LocalFlags;
        public byte LineDiscipline;
        public ControlCharacters ControlChars;
        public uint InputSpeed;
        public uint OutputSpeed;
    }

    /// <summary><c>cc_t c_cc[NCCS]</c> with <c>NCCS</c> = 32.</summary>
    [InlineArray(32)]
    public struct ControlCharacters
    {
        private byte _first;
    }

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd(int fd, short events)
    {
        public int Fd = fd;
        public short Events = events;
        public short ReturnedEvents;
    }
}
