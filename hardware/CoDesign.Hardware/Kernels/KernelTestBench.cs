using System.Globalization;
using System.Text;
using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;
using CoDesign.KernelCompiler.Verilog;

namespace CoDesign.Hardware.Kernels;

/// <summary>
/// A Verilog test bench that runs a compiled kernel's module on a list of calls, one after another:
/// it models each span as a memory with one cycle of read latency, pulses <c>start</c>, counts the
/// cycles to <c>done</c> and prints every result as <c>R call name index value</c> and the cycles as
/// <c>C call cycles</c>. The same text runs under Icarus and under Verilator (<c>--binary --timing</c>).
/// A module with a <c>stall</c> input (<see cref="CompileOptions.Stall"/>) is stalled in pseudo-random
/// cycles (about one in four), its memories act only in cycles with <c>stall</c> low, and
/// only those cycles are counted: the results and the cycles must be those of a run without stalls, and
/// <c>done</c> must still be high after a stalled cycle that follows it.
/// </summary>
public static class KernelTestBench
{
    /// <summary>Cycles one call may take before the bench gives up on it.</summary>
    public const int MaxCycles = 2_000_000;

    /// <summary>
    /// The bench's text; with <paramref name="traceFile"/> it dumps a VCD there. <paramref name="stallSeed"/>
    /// seeds the stall pattern of a module that has a stall input.
    /// </summary>
    public static string Write(CompiledKernel kernel, IReadOnlyList<KernelCall> calls, string? traceFile = null, int stallSeed = 1)
    {
        KernelSignature signature = kernel.Signature;
        int addressBits = kernel.Options.AddressBits;
        bool stalls = kernel.Options.Stall;
        string unstalled = stalls ? " && !stall" : string.Empty;
        var text = new StringBuilder();
        text.AppendLine("`timescale 1ns/1ps");
        text.AppendLine("module kernel_tb;");
        text.AppendLine("    reg clk = 1'b0;");
        text.AppendLine("    always #5 clk = ~clk;");
        text.AppendLine("    reg rst = 1'b1;");
        text.AppendLine("    reg start = 1'b0;");
        text.AppendLine("    wire done;");
        var connections = new List<string>();
        if (stalls)
        {
            // A 16-bit LFSR (taps 16, 15, 13, 4), changed between clock edges: stall when two of its bits are both set.
            text.AppendLine($"    reg [15:0] stall_lfsr = 16'd{(stallSeed & 0xFFFF) | 1};");
            text.AppendLine("    reg stall = 1'b0;");
            text.AppendLine("    always @(negedge clk) begin");
            text.AppendLine("        stall_lfsr = {stall_lfsr[14:0], stall_lfsr[15] ^ stall_lfsr[14] ^ stall_lfsr[12] ^ stall_lfsr[3]};");
            text.AppendLine("        stall = stall_lfsr[0] & stall_lfsr[5];");
            text.AppendLine("    end");
            connections.Add(".stall(stall)");
        }

        switch (kernel.Shape)
        {
            case KernelShape.StateMachine:
                text.AppendLine("    wire busy;");
                connections.AddRange([".clk(clk)", ".rst(rst)", ".start(start)", ".done(done)", ".busy(busy)"]);
                break;
            case KernelShape.Pipeline:
                connections.AddRange([".clk(clk)", ".rst(rst)", ".in_valid(start)", ".out_valid(done)"]);
                if (kernel.Options.PipelineTag)
                {
                    // One input at a time: the tag and busy are connected (a port left open is a lint error) but not needed.
                    text.AppendLine("    wire [0:0] out_tag;");
                    text.AppendLine("    wire busy;");
                    connections.AddRange([".in_tag(1'b0)", ".out_tag(out_tag)", ".busy(busy)"]);
                }

                break;
            default:
                // Combinational: the outputs are there as soon as the inputs are.
                text.AppendLine("    assign done = 1'b1;");
                break;
        }

        foreach (KernelParameter p in signature.Parameters)
        {
            string bits = $"[{p.Type.Bits - 1}:0]";
            if (p.IsSpan)
            {
                int size = Math.Max(1, calls.Max(c => c.Arguments.TryGetValue(p.Name, out long[]? v) ? v.Length : 0));
                string mem = $"{VerilogNames.Safe(p.Name)}_mem";
                // A span empty in every call is never written: not a mistake of the bench.
                text.AppendLine("    /* verilator lint_off UNDRIVEN */");
                text.AppendLine($"    reg {bits} {mem} [0:{size - 1}];");
                text.AppendLine("    /* verilator lint_on UNDRIVEN */");
                text.AppendLine($"    reg [{addressBits}:0] {VerilogNames.Length(p.Name)};");
                text.AppendLine($"    wire [{addressBits - 1}:0] {VerilogNames.ReadAddress(p.Name)};");
                text.AppendLine($"    wire {VerilogNames.ReadEnable(p.Name)};");
                text.AppendLine($"    reg {bits} {VerilogNames.ReadData(p.Name)};");
                connections.AddRange([$".{VerilogNames.Length(p.Name)}({VerilogNames.Length(p.Name)})", $".{VerilogNames.ReadAddress(p.Name)}({VerilogNames.ReadAddress(p.Name)})",
                    $".{VerilogNames.ReadEnable(p.Name)}({VerilogNames.ReadEnable(p.Name)})", $".{VerilogNames.ReadData(p.Name)}({VerilogNames.ReadData(p.Name)})"]);
                bool written = p.Kind == KernelParameterKind.Span;
                if (written)
                {
                    text.AppendLine($"    wire [{addressBits - 1}:0] {VerilogNames.WriteAddress(p.Name)};");
                    text.AppendLine($"    wire {VerilogNames.WriteEnable(p.Name)};");
                    text.AppendLine($"    wire {bits} {VerilogNames.WriteData(p.Name)};");
                    connections.AddRange([$".{VerilogNames.WriteAddress(p.Name)}({VerilogNames.WriteAddress(p.Name)})", $".{VerilogNames.WriteEnable(p.Name)}({VerilogNames.WriteEnable(p.Name)})",
                        $".{VerilogNames.WriteData(p.Name)}({VerilogNames.WriteData(p.Name)})"]);
                }

                text.AppendLine("    always @(posedge clk) begin");
                text.AppendLine($"        if ({VerilogNames.ReadEnable(p.Name)}{unstalled}) {VerilogNames.ReadData(p.Name)} <= {mem}[{VerilogNames.ReadAddress(p.Name)}];");
                if (written)
                {
                    text.AppendLine($"        if ({VerilogNames.WriteEnable(p.Name)}{unstalled}) {mem}[{VerilogNames.WriteAddress(p.Name)}] <= {VerilogNames.WriteData(p.Name)};");
                }

                text.AppendLine("    end");
            }
            else if (p.Kind == KernelParameterKind.Out)
            {
                text.AppendLine($"    wire {bits} {VerilogNames.Scalar(p.Name)};");
                connections.Add($".{VerilogNames.Scalar(p.Name)}({VerilogNames.Scalar(p.Name)})");
            }
            else
            {
                text.AppendLine($"    reg {bits} {VerilogNames.Scalar(p.Name)};");
                connections.Add($".{VerilogNames.Scalar(p.Name)}({VerilogNames.Scalar(p.Name)})");
            }
        }

        if (signature.Return is KernelValueType returnType)
        {
            text.AppendLine($"    wire [{returnType.Bits - 1}:0] {VerilogNames.Result};");
            connections.Add($".{VerilogNames.Result}({VerilogNames.Result})");
        }

        text.AppendLine($"    {kernel.ModuleName} dut ({string.Join(", ", connections)});");
        text.AppendLine("    integer cycles;");
        if (stalls)
        {
            text.AppendLine("    reg held;");
        }

        text.AppendLine("    initial begin");
        if (traceFile is not null)
        {
            text.AppendLine($"        $dumpfile(\"{traceFile.Replace("\\", "/", StringComparison.Ordinal)}\");");
            text.AppendLine("        $dumpvars(0, kernel_tb);");
        }

        text.AppendLine("        repeat (2) @(negedge clk);");
        text.AppendLine("        rst = 1'b0;");
        for (int c = 0; c < calls.Count; c++)
        {
            WriteCall(text, signature, calls[c], c, stalls);
        }

        text.AppendLine("        $finish;");
        text.AppendLine("    end");
        text.AppendLine("endmodule");
        return text.ToString();
    }

    private static void WriteCall(StringBuilder text, KernelSignature signature, KernelCall call, int index, bool stalls)
    {
        text.AppendLine($"        // call {index}");
        text.AppendLine("        @(negedge clk);");
        foreach (KernelParameter p in signature.Parameters)
        {
            long[] values = call.Arguments.TryGetValue(p.Name, out long[]? v) ? v : [];
            if (p.IsSpan)
            {
                text.AppendLine($"        {VerilogNames.Length(p.Name)} = {values.Length};");
                for (int i = 0; i < values.Length; i++)
                {
                    text.AppendLine($"        {VerilogNames.Safe(p.Name)}_mem[{i}] = {Literal(values[i], p.Type.Bits)};");
                }
            }
            else if (p.Kind == KernelParameterKind.Scalar)
            {
                text.AppendLine($"        {VerilogNames.Scalar(p.Name)} = {Literal(values.Length > 0 ? values[0] : 0, p.Type.Bits)};");
            }
        }

        text.AppendLine("        start = 1'b1;");
        text.AppendLine("        cycles = 0;");
        if (stalls)
        {
            // start waits for an edge with stall low; then every such edge up to the one that raises done counts.
            text.AppendLine("        while (cycles == 0) begin @(posedge clk); #1; if (!stall) cycles = 1; end");
            text.AppendLine("        start = 1'b0;");
            text.AppendLine($"        while (!done && cycles < {MaxCycles}) begin @(posedge clk); #1; if (!stall) cycles = cycles + 1; end");
        }
        else
        {
            text.AppendLine("        #1;");
            text.AppendLine("        if (!done) begin");
            text.AppendLine("            @(negedge clk);");
            text.AppendLine("            start = 1'b0;");
            text.AppendLine("            cycles = 1;");
            text.AppendLine("        end");
            text.AppendLine("        start = 1'b0;");
            text.AppendLine($"        while (!done && cycles < {MaxCycles}) begin @(negedge clk); cycles = cycles + 1; end");
        }

        text.AppendLine($"        if (!done) $display(\"TIMEOUT {index}\");");
        text.AppendLine($"        $display(\"C {index} %0d\", cycles);");
        foreach (KernelParameter p in signature.Parameters)
        {
            if (p.IsSpan)
            {
                long length = call.Arguments.TryGetValue(p.Name, out long[]? v) ? v.Length : 0;
                for (int i = 0; i < length; i++)
                {
                    text.AppendLine($"        $display(\"R {index} {p.Name} {i} %0d\", {VerilogNames.Safe(p.Name)}_mem[{i}]);");
                }
            }
            else if (p.Kind == KernelParameterKind.Out)
            {
                text.AppendLine($"        $display(\"R {index} {p.Name} 0 %0d\", {VerilogNames.Scalar(p.Name)});");
            }
        }

        if (signature.Return is not null)
        {
            text.AppendLine($"        $display(\"R {index} return 0 %0d\", {VerilogNames.Result});");
        }

        if (stalls)
        {
            // done is a register like any other: a stall in the next cycle holds it.
            text.AppendLine("        @(posedge clk); held = stall; #1;");
            text.AppendLine($"        if (held && !done) $display(\"DROPPED {index}\");");
        }
    }

    private static string Literal(long value, int bits)
    {
        ulong pattern = bits >= 64 ? (ulong)value : (ulong)value & ((1UL << bits) - 1);
        return $"{bits}'d{pattern.ToString(CultureInfo.InvariantCulture)}";
    }
}
