using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CoDesign.Hardware;

/// <summary>
/// Gate-level netlists of a board's top, to simulate what the board gets and not only the RTL (with
/// <see cref="RtlBuild.GateLevel"/>): the bitstream decoded back into Verilog (<c>iceunpack</c>, then
/// <c>icebox_vlog</c>), which holds the placed design's LUTs, carries, flip-flops and SB_RAM40_4K blocks
/// as the FPGA is configured with them; or, where icebox cannot decode the tiles (the UP5K's SPRAM and
/// DSP blocks), Yosys's <c>synth_ice40</c> netlist of the board's top, written as Verilog. Both keep the
/// board top's module name and ports. Each is cached under <c>~/.cache/codesign/netlists</c>, named by
/// the hash of what it comes from, since decoding or synthesizing takes a minute.
/// </summary>
public static class GateLevelNetlist
{
    private static readonly Lock Gate = new();

    /// <summary>
    /// <paramref name="board"/>'s bitstream (the committed one when null) decoded into a netlist with the
    /// board's pin names (<c>icebox_vlog -d &lt;package&gt; -p &lt;board&gt;.pcf</c>); returns its path.
    /// </summary>
    /// <param name="board">The board the bitstream is for.</param>
    /// <param name="bitstream">The bitstream (<c>.bin</c>), or null for <see cref="Board.Bitstream"/>.</param>
    public static string FromBitstream(Board board, string? bitstream = null)
    {
        bitstream ??= board.Bitstream;
        string pcf = HardwareSources.Existing(board.Constraints);
        byte[] identity = [.. File.ReadAllBytes(HardwareSources.Existing(bitstream)), .. File.ReadAllBytes(pcf), .. Encoding.UTF8.GetBytes(board.TopModule)];
        return Cached($"{board.Name}-bitstream", identity, (folder, netlist) =>
        {
            string asc = Path.Combine(folder, board.Name + ".asc");
            ExternalTool.RunChecked("iceunpack", [bitstream, asc], folder, TimeSpan.FromMinutes(2));
            // icebox_vlog writes the netlist to its standard output: -c gathers bit ports into vectors (led[7:0]),
            // -s leaves out its comments on the routing, -n names the module as the board's top.
            ExternalTool.RunChecked(
                "bash", ["-c", "icebox_vlog -d \"$1\" -p \"$2\" -c -s -n \"$3\" \"$4\" > \"$5\"", "icebox_vlog", board.Package, pcf, board.TopModule, asc, netlist],
                folder, TimeSpan.FromMinutes(10), name: "icebox_vlog");
            File.WriteAllText(netlist, WithPortList(File.ReadAllText(netlist)));
        });
    }

    /// <summary>
    /// The netlist with its module header as a port list followed by the port declarations:
    /// icebox_vlog declares the ports in the header (ANSI style) and then again as wires and regs in
    /// the body, which Verilog allows only after a plain port list.
    /// </summary>
    internal static string WithPortList(string netlist)
    {
        Match header = Regex.Match(netlist, @"^module (\S+) \((.*?)\);$", RegexOptions.Multiline);
        if (!header.Success)
        {
            throw new InvalidDataException("icebox_vlog's netlist has no module header of the form 'module NAME (PORTS);'");
        }

        var names = new List<string>();
        var declarations = new StringBuilder();
        foreach (string port in header.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries))
        {
            // A name may be an escaped identifier (\led), which a space must end.
            string name = port[(port.LastIndexOf(' ') + 1)..];
            names.Add(name + " ");
            declarations.Append(port).Append(" ;\n");
        }

        return string.Concat(netlist.AsSpan(0, header.Index), $"module {header.Groups[1].Value} ({string.Join(", ", names)});\n{declarations}", netlist.AsSpan(header.Index + header.Length));
    }

    /// <summary>
    /// <paramref name="board"/>'s top synthesized as its bitstream build synthesizes it (<c>synth_ice40</c>) and
    /// written as a Verilog netlist of iCE40 cells; returns its path.
    /// </summary>
    /// <param name="board">The board whose top to synthesize.</param>
    public static string FromSynthesis(Board board)
    {
        string generated = Path.Combine(HardwareSources.Root, "rtl", "generated");
        string[] sources = [.. HardwareSources.AllRtl(), HardwareSources.BoardTop(board.TopModule)];
        string[] includes = Directory.Exists(generated) ? [.. Directory.GetFiles(generated, "*.vh").OrderBy(f => f, StringComparer.Ordinal)] : [];
        // The flow's reading (hardware/flow.sh). It is part of the cache key: a netlist read another way differs in its names.
        const string ReadVerilog = "read_verilog -defer";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(ReadVerilog));
        foreach (string file in sources.Concat(includes))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file)));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Cached($"{board.Name}-synthesis", hash.GetHashAndReset(), (folder, netlist) =>
        {
            string read = string.Join(' ', sources.Select(f => $"\"{f}\""));
            ExternalTool.RunChecked(
                "yosys", ["-q", "-p", $"{ReadVerilog} -I{generated} {read}; synth_ice40 -top {board.TopModule}; write_verilog -noattr {netlist}"],
                folder, TimeSpan.FromMinutes(15));
        });
    }

    private static string Cached(string kind, byte[] identity, Action<string, string> make)
    {
        string key = Convert.ToHexString(SHA256.HashData(identity))[..16].ToLowerInvariant();
        string root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "codesign", "netlists");
        string path = Path.Combine(root, $"{kind}-{key}.v");
        lock (Gate)
        {
            if (File.Exists(path))
            {
                return path;
            }

            string folder = Path.Combine(root, $"{kind}-{key}.build-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            try
            {
                string netlist = Path.Combine(folder, "netlist.v");
                make(folder, netlist);
                // Published by a rename, so another process never reads half a netlist.
                File.Move(netlist, path, overwrite: true);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }

            return path;
        }
    }
}
