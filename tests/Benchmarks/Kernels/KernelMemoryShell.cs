using System.Globalization;
using System.Text;
using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Verilog;

namespace CoDesign.Benchmarks.Kernels;

/// <summary>
/// A compiled kernel with some of its spans as block RAMs inside, for comparing it with a hand module
/// that keeps those memories inside itself (pe.v: the codebook and the accumulators), and with some
/// spans read as narrower words than their C# type, as the hand module's memories hold them (pe.v's
/// 16-bit pointer banks feeding the kernel's <c>int</c> pointers). Measured bare, a kernel reads every
/// span from the timing wrapper's flip-flops, which is faster than a block RAM's read data and costs no
/// EBR; inside this shell it pays both, as the hand module does.
/// </summary>
/// <remarks>
/// Each inner span becomes an inferred RAM of the given depth with one read and one write port, as
/// the kernel's memory interface asks (read data the cycle after the read enable, held until the
/// next read). While the kernel is idle a host port (<c>S_host_addr</c>, <c>S_host_wr_en</c>,
/// <c>S_host_wr_data</c>, <c>S_host_rd_data</c>) loads and reads it, as pe.v's codebook load and
/// accumulator readout do; the span's length is the depth. A kernel with a stall input accesses them
/// only in a cycle with <c>stall</c> low. A narrowed span's read data port has the given width and
/// reaches the kernel zero-extended, so synthesis sees the constant high bits the hand module's
/// memory gives. Every other port passes through.
/// </remarks>
internal static class KernelMemoryShell
{
    /// <summary>The shell module's name for <paramref name="kernel"/>.</summary>
    public static string ModuleName(CompiledKernel kernel) => kernel.ModuleName + "_with_memories";

    /// <summary>
    /// The shell's Verilog: <paramref name="inner"/> maps each span kept inside to its depth (a power of
    /// two), <paramref name="narrowed"/> each span read through a narrower port to that port's bits.
    /// </summary>
    public static string Generate(CompiledKernel kernel, IReadOnlyDictionary<string, int> inner, IReadOnlyDictionary<string, int> narrowed)
    {
        // A stalled kernel's accesses are requests: the RAM takes one only in a cycle with stall low.
        string go = kernel.Options.Stall ? " && !stall" : string.Empty;
        var ports = new List<string>();
        var connections = new List<string>();
        var body = new StringBuilder();
        foreach (KernelPort port in KernelPorts.Of(kernel.Ir, kernel.Options.AddressBits, kernel.Options.Stall))
        {
            if (port.Span is not null && port.Name == VerilogNames.ReadData(port.Span) && narrowed.TryGetValue(port.Span, out int bits))
            {
                if (bits >= port.Bits!.Value)
                {
                    throw new ArgumentException($"span '{port.Span}' is {port.Bits} bits wide; a narrowed port must be narrower, not {bits}", nameof(narrowed));
                }

                ports.Add($"input  wire {Range(bits)} {port.Name}");
                connections.Add($".{port.Name}({{{port.Bits - bits}'d0, {port.Name}}})");
                continue;
            }

            if (port.Span is null || !inner.ContainsKey(port.Span))
            {
                // Outputs pass through as wires; the kernel's registers stay inside it.
                ports.Add(port.IsOutput ? (port with { Direction = "output wire" }).Declaration : port.Declaration);
                connections.Add($".{port.Name}({port.Name})");
                continue;
            }

            string s = VerilogNames.Safe(port.Span);
            connections.Add($".{port.Name}({(port.Name == VerilogNames.Length(port.Span) ? NodeText.Literal(inner[port.Span], port.Bits!.Value) : port.Name == VerilogNames.ReadData(port.Span) ? $"{s}_q" : $"{s}_kernel{port.Name[s.Length..]}")})");
            if (port.Name == VerilogNames.ReadData(port.Span))
            {
                Declare(ports, body, kernel.Ir.ParameterBindings[port.Span] is IrMemory { Writable: true }, s, inner[port.Span], port.Bits!.Value, kernel.Options.AddressBits, go);
            }
        }

        var text = new StringBuilder();
        text.AppendLine("`default_nettype none");
        string inside = inner.Count == 0 ? string.Empty : $" with {string.Join(" and ", inner.Keys)} as block RAMs inside";
        string through = narrowed.Count == 0 ? string.Empty : $"{(inside.Length == 0 ? " with" : ",")} {string.Join(" and ", narrowed.Select(n => $"{n.Key} read as {n.Value}-bit words"))}";
        text.AppendLine(CultureInfo.InvariantCulture, $"// {kernel.ModuleName}{inside}{through}; see tests/Benchmarks/Kernels/KernelMemoryShell.cs.");
        text.AppendLine(CultureInfo.InvariantCulture, $"module {ModuleName(kernel)} (");
        text.AppendLine(string.Join(",\n", ports.Select(p => "    " + p)));
        text.AppendLine(");");
        text.Append(body);
        text.AppendLine(CultureInfo.InvariantCulture, $"    {kernel.ModuleName} kernel (");
        text.AppendLine(string.Join(",\n", connections.Select(c => "        " + c)));
        text.AppendLine("    );");
        text.AppendLine("endmodule");
        text.AppendLine("`default_nettype wire");
        return text.ToString();
    }

    /// <summary>The memory of span <paramref name="s"/> and its host port: the kernel's while it runs, the host's while it is idle.</summary>
    private static void Declare(List<string> ports, StringBuilder body, bool writable, string s, int depth, int bits, int addressBits, string go)
    {
        int index = (int)Math.Log2(depth);
        ports.Add($"input  wire {Range(index)} {s}_host_addr");
        ports.Add($"input  wire {s}_host_wr_en");
        ports.Add($"input  wire {Range(bits)} {s}_host_wr_data");
        ports.Add($"output wire {Range(bits)} {s}_host_rd_data");
        body.AppendLine(CultureInfo.InvariantCulture, $"    // {s}: {depth} x {bits} bits, the kernel's while it runs, the host's while it is idle");
        body.AppendLine(CultureInfo.InvariantCulture, $"    reg  {Range(bits)} {s}_mem [0:{depth - 1}];");
        body.AppendLine(CultureInfo.InvariantCulture, $"    reg  {Range(bits)} {s}_q;");
        body.AppendLine(CultureInfo.InvariantCulture, $"    wire {Range(addressBits)} {s}_kernel_addr;");
        body.AppendLine(CultureInfo.InvariantCulture, $"    wire {s}_kernel_rd_en;");
        string write = $"        if (!busy && {s}_host_wr_en) {s}_mem[{s}_host_addr] <= {s}_host_wr_data;";
        if (writable)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"    wire {Range(addressBits)} {s}_kernel_wr_addr;");
            body.AppendLine(CultureInfo.InvariantCulture, $"    wire {s}_kernel_wr_en;");
            body.AppendLine(CultureInfo.InvariantCulture, $"    wire {Range(bits)} {s}_kernel_wr_data;");
            write = $"        if (busy ? {s}_kernel_wr_en{go} : {s}_host_wr_en) {s}_mem[busy ? {s}_kernel_wr_addr[{index - 1}:0] : {s}_host_addr] <= busy ? {s}_kernel_wr_data : {s}_host_wr_data;";
        }

        body.AppendLine("    always @(posedge clk) begin");
        body.AppendLine(CultureInfo.InvariantCulture, $"        if (busy ? {s}_kernel_rd_en{go} : 1'b1) {s}_q <= {s}_mem[busy ? {s}_kernel_addr[{index - 1}:0] : {s}_host_addr];");
        body.AppendLine(write);
        body.AppendLine("    end");
        body.AppendLine(CultureInfo.InvariantCulture, $"    assign {s}_host_rd_data = {s}_q;");
    }

    private static string Range(int bits) => bits == 1 ? string.Empty : $"[{bits - 1}:0]";
}
