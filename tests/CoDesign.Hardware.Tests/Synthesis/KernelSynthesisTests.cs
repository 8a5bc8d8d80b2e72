using CoDesign.Hardware.Synthesis;

namespace CoDesign.Hardware.Tests.Synthesis;

/// <summary>KernelSynthesis reports cells and Fmax of any module: tiny ones with known counts, and two of hardware/rtl.</summary>
public class KernelSynthesisTests
{
    [Fact]
    public void AnEightBitRegisterIsEightFlipFlopsAndNoLut()
    {
        using var folder = new BenchFolder("synth");
        string file = Write(folder, "reg8.v", """
            `default_nettype none
            module reg8 (input wire clk, input wire [7:0] d, output reg [7:0] q);
                always @(posedge clk) q <= d;
            endmodule
            """);

        SynthesisReport report = KernelSynthesis.Run([file], "reg8", Board.IceBreaker);

        Assert.Equal((0, 8, 0, 0), (report.Lut4, report.FlipFlops, report.BlockRams, report.Dsps));
        Assert.Equal(
            [new SynthesisPort("clk", PortDirection.Input, 1, IsClock: true), new SynthesisPort("d", PortDirection.Input, 8, false), new SynthesisPort("q", PortDirection.Output, 8, false)],
            report.Ports);
        // Register to register with nothing between: far above any design's clock.
        Assert.InRange(report.FmaxMHz, 150, 1000);
    }

    [Fact]
    public void AFourInputAndIsOneLut()
    {
        using var folder = new BenchFolder("synth");
        string file = Write(folder, "and4.v", """
            `default_nettype none
            module and4 (input wire [3:0] a, output wire y);
                assign y = &a;
            endmodule
            """);

        SynthesisReport report = KernelSynthesis.Run([file], "and4", "hx8k-breakout");

        Assert.Equal((1, 0), (report.Lut4, report.FlipFlops));
        Assert.Equal(Ice40Device.Hx8kCt256, report.Device);
        Assert.InRange(report.FmaxMHz, 100, 1000);
    }

    [Fact]
    public void ABlockRamIsCountedAndItsClockFoundByWhatItDrives()
    {
        using var folder = new BenchFolder("synth");
        string file = Write(folder, "ram.v", """
            `default_nettype none
            module ram #(parameter AW = 8) (input wire ck, input wire we, input wire [AW-1:0] addr, input wire [7:0] wdata, output reg [7:0] rdata);
                reg [7:0] mem [0:(1 << AW) - 1];
                always @(posedge ck) begin
                    if (we) mem[addr] <= wdata;
                    rdata <= mem[addr];
                end
            endmodule
            """);

        SynthesisReport report = KernelSynthesis.Run([file], "ram", Board.IceBreaker);

        Assert.Equal(1, report.BlockRams);
        Assert.Equal(["ck"], report.Ports.Where(p => p.IsClock).Select(p => p.Name));
        Assert.InRange(report.FmaxMHz, 40, 1000);
    }

    [Fact]
    public void Crc32UpdateIsACombinationalNetworkOfTensOfLuts()
    {
        SynthesisReport report = KernelSynthesis.Run([HardwareSources.Rtl("crc32_update_byte.v")], "crc32_update_byte", Board.IceBreaker);

        Assert.Equal(0, report.FlipFlops);
        Assert.InRange(report.Lut4, 32, 120);   // 32 XOR trees of up to 8 inputs: 1 to 3 LUTs each
        Assert.InRange(report.FmaxMHz, 40, 400);
        Assert.Equal(["crc", "data", "result"], report.Ports.Select(p => p.Name));
    }

    [Fact]
    public void CsdRecoderSynthesizesOnBothBoards()
    {
        string[] sources = [HardwareSources.Rtl("shift_add_multiplier_recode16.v")];
        foreach (Board board in Board.All)
        {
            SynthesisReport report = KernelSynthesis.Run(sources, "shift_add_multiplier_recode16", board);

            Assert.InRange(report.Lut4, 5, 400);
            Assert.Equal((0, 0), (report.BlockRams, report.Dsps));
            Assert.InRange(report.FmaxMHz, 30, 500);
            Assert.Contains(board.Name == "icebreaker" ? "on up5k" : "on hx8k", report.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AMissingTopIsNamedInTheError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => KernelSynthesis.Run([HardwareSources.Rtl("crc32_update_byte.v")], "no_such_module", Board.IceBreaker));

        Assert.StartsWith("no module 'no_such_module' in crc32_update_byte.v", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingSourceIsNamedInTheError()
    {
        var e = Assert.Throws<FileNotFoundException>(() => KernelSynthesis.Run(["/nonexistent/x.v"], "x", Board.IceBreaker));

        Assert.Contains("/nonexistent/x.v", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSlowestClockOfNextpnrsReportCounts()
    {
        const string report = """{ "fmax": { "clk$SB_IO_IN_$glb_clk": { "achieved": 95.5, "constraint": 12 }, "div": { "achieved": 40.25, "constraint": 12 } } }""";

        Assert.Equal(40.25, NextpnrReport.ClockFmax(report));
        Assert.Equal(double.PositiveInfinity, NextpnrReport.ClockFmax("{}"));
    }

    [Fact]
    public void TheCriticalPathNamesTheSourceLinesOfItsCarryChains()
    {
        using var folder = new BenchFolder("synth");
        string file = Write(folder, "sum_compare.v", """
            `default_nettype none
            module sum_compare (input wire clk, input wire [31:0] a, input wire [31:0] b, input wire [31:0] c, output reg below);
                reg [31:0] a_q, b_q, c_q;
                wire [31:0] sum = a_q + b_q;
                wire less = sum < c_q;
                always @(posedge clk) begin
                    a_q <= a; b_q <= b; c_q <= c;
                    below <= less;
                end
            endmodule
            """);

        SynthesisReport report = KernelSynthesis.Run([file], "sum_compare", Board.IceBreaker);

        // The 32-bit add (line 4) then the compare (line 5): two carry chains, one after the other.
        Assert.Equal([new SourceLine("sum_compare.v", 4), new SourceLine("sum_compare.v", 5)], report.CriticalPath.Where(l => l.Line is 4 or 5));
        Assert.All(report.CriticalPath, l => Assert.Equal("sum_compare.v", l.File));
    }

    [Fact]
    public void OnlyTheClocksCriticalPathInTheLogCounts()
    {
        const string log = """
            Info: Critical path report for clock 'clk$SB_IO_IN_$glb_clk' (posedge -> posedge):
            Info:  3.6  5.0    Net dut.j[0] budget 0.000000 ns (9,26) -> (7,19)
            Info:                Defined in:
            Info:                  wrapper.v:12.40-42.6
            Info:                  /tmp/codesign-synth-1/k.v:113.23-113.32
            Info:                  /tmp/codesign-synth-1/k.v:113.23-113.32
            Info:                  /tmp/codesign-synth-1/k.v:114.22-114.82
            Info:                  /tmp/codesign-synth-1/other_k.v:7.1-7.2
            Info: 13.4 ns logic, 16.6 ns routing

            Info: Critical path report for cross-domain path '<async>' -> 'posedge clk$SB_IO_IN_$glb_clk':
            Info:                  /tmp/codesign-synth-1/k.v:9.1-9.2
            """;

        Assert.Equal([new SourceLine("k.v", 113), new SourceLine("k.v", 114)], NextpnrReport.CriticalPath(log, ["k.v"]));
        Assert.Empty(NextpnrReport.CriticalPath("Info: nothing timed\n", ["k.v"]));
    }

    private static string Write(BenchFolder folder, string name, string text)
    {
        string path = Path.Combine(folder.Path, name);
        File.WriteAllText(path, text);
        return path;
    }
}
