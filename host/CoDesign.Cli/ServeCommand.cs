using System.CommandLine;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Serial;

namespace CoDesign.Cli;

/// <summary>
/// <c>codesign serve --device emulator|verilator --tty PATH</c>: puts a device behind a pseudo-terminal
/// whose slave PATH links to, so the serial path (<c>infer --device serial:PATH</c>) can be tried end to
/// end without a board. Runs until Ctrl-C or SIGTERM, then removes the link.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device", "-d") { Description = $"Device to serve, e.g. emulator (the C# device) or verilator (the RTL's top level, simulated); any of: {DeviceCatalog.Known}.", Required = true };
        var tty = new Option<string>("--tty") { Description = "Path of the symbolic link to the pseudo-terminal's slave, e.g. /tmp/codesign-tty; a host opens it as serial:PATH.", Required = true };
        var trace = new Option<string?>("--trace") { Description = "Write the served run's waveform to this VCD file (for GTKWave), on a Verilator device; complete once serving stops." };
        var command = new Command("serve", "Serve a device on a pseudo-terminal until Ctrl-C, so `infer --device serial:PATH` reaches it as it would a board.") { device, tty, trace };
        command.SetAction(parse => CommandFailure.Guard(() =>
        {
            if (!OperatingSystem.IsLinux())
            {
                throw new ArgumentException($"codesign serve needs Linux pseudo-terminals; this is {RuntimeInformation.OSDescription}");
            }

            return Serve(parse.GetValue(device)!, parse.GetValue(tty)!, parse.GetValue(trace));
        }));
        return command;
    }

    [SupportedOSPlatform("linux")]
    private static int Serve(string deviceName, string ttyPath, string? trace)
    {
        string link = CheckLinkPath(ttyPath);
        using var stop = new ManualResetEventSlim();
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        bool deviceEnded = false;
        using DeviceLink device = DeviceCatalog.Registry.Connect(deviceName, trace: trace);
        using var pty = new PseudoTerminal();
        Relay(device.HostEnd, pty.Master, () =>
        {
            deviceEnded = true;
            stop.Set();
        });
        Link(link, pty.SlavePath);
        try
        {
            Console.WriteLine($"serving the {deviceName} on {link} (-> {pty.SlavePath}); use it with: codesign infer --device {SerialDevice.Prefix}{link}; Ctrl-C stops");
            stop.Wait();
        }
        finally
        {
            Unlink(link, pty.SlavePath);
        }

        return deviceEnded ? throw new IOException($"the {deviceName} device stopped on its own; {link} is removed") : 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // shut down in order: the link goes before the process does
            stop.Set();
        }
    }

    /// <summary>Copies bytes both ways between the device's end of its link and the master; calls <paramref name="ended"/> when the device stops.</summary>
    private static void Relay(Stream device, Stream master, Action ended)
    {
        Pump(master, device, () => { });
        Pump(device, master, ended);
    }

    private static void Pump(Stream from, Stream to, Action done)
    {
        var thread = new Thread(() =>
        {
            var buffer = new byte[4096];
            try
            {
                for (int read; (read = from.Read(buffer)) > 0;)
                {
                    to.Write(buffer.AsSpan(0, read));
                    to.Flush();
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or TimeoutException)
            {
                // One side closed: the wire is cut.
            }
            finally
            {
                done();
            }
        })
        { IsBackground = true, Name = "serve relay" };
        thread.Start();
    }

    /// <summary>
    /// The full path for the link, refusing a path that holds anything but a link we may replace: one
    /// to a pseudo-terminal's slave (<c>/dev/pts/N</c>), as an earlier <c>serve</c> that was killed leaves.
    /// </summary>
    private static string CheckLinkPath(string ttyPath)
    {
        string link = Path.GetFullPath(ttyPath);
        string? folder = Path.GetDirectoryName(link);
        if (folder is null || !Directory.Exists(folder))
        {
            throw new ArgumentException($"--tty '{ttyPath}': the folder '{folder}' does not exist");
        }

        var existing = new FileInfo(link);
        if (existing.LinkTarget is { } target)
        {
            if (!target.StartsWith("/dev/pts/", StringComparison.Ordinal))
            {
                throw new ArgumentException($"--tty '{ttyPath}' is a symbolic link to '{target}', not to a pseudo-terminal; codesign serve replaces only its own links (remove it or choose another path)");
            }
        }
        else if (existing.Exists || Directory.Exists(link))
        {
            throw new ArgumentException($"--tty '{ttyPath}' exists and is not a symbolic link; codesign serve creates a link there (choose a path that does not exist)");
        }

        return link;
    }

    /// <summary>Points <paramref name="link"/> at <paramref name="slavePath"/>, replacing a stale link in one step.</summary>
    private static void Link(string link, string slavePath)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(link)!, $".{Path.GetFileName(link)}.{Environment.ProcessId}.tmp");
        File.Delete(temporary);
        File.CreateSymbolicLink(temporary, slavePath);
        File.Move(temporary, link, overwrite: true);
    }

    /// <summary>Removes <paramref name="link"/> if it still points at our slave (another serve may own it by now).</summary>
    private static void Unlink(string link, string slavePath)
    {
        if (new FileInfo(link).LinkTarget == slavePath)
        {
            File.Delete(link);
        }
    }
}
