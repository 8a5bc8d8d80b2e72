using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Verilog;

/// <summary>One port of a compiled kernel's state-machine module.</summary>
/// <param name="Name">The port's name.</param>
/// <param name="Direction"><c>input  wire</c>, <c>output wire</c> or <c>output reg </c>, as declared.</param>
/// <param name="Bits">Its width, or null for a 1-bit port declared without a range.</param>
/// <param name="Span">The span parameter whose memory port it belongs to, or null.</param>
/// <param name="Remark">What the declaration's comment says, or empty.</param>
public sealed record KernelPort(string Name, string Direction, int? Bits, string? Span, string Remark)
{
    /// <summary>True for an output.</summary>
    public bool IsOutput => Direction.StartsWith("output", StringComparison.Ordinal);

    /// <summary>The declaration without its comma, e.g. <c>input  wire [16:0] x_length</c>.</summary>
    public string Declaration => $"{Direction} {(Bits is int bits ? $"[{bits - 1}:0] " : string.Empty)}{Name}";
}

/// <summary>
/// The interface of a kernel compiled to a state machine, in order: clock, reset and the start/done
/// handshake, the stall input when the module has one (<see cref="CompileOptions.Stall"/>), then per
/// span its length and memory port (read; write when the kernel writes it), per scalar its port, and
/// the return value. The writer declares these; tools that wrap the module
/// (the benchmark's memory shell) read them rather than the Verilog.
/// </summary>
public static class KernelPorts
{
    /// <summary>The ports of <paramref name="function"/>'s module with <paramref name="addressBits"/>-bit memory addresses (and a <c>stall</c> input with <paramref name="stall"/>).</summary>
    public static IReadOnlyList<KernelPort> Of(IrFunction function, int addressBits, bool stall = false)
    {
        var ports = new List<KernelPort>
        {
            new("clk", "input  wire", null, null, string.Empty),
            new("rst", "input  wire", null, null, string.Empty),
            new("start", "input  wire", null, null, "pulse while idle: latch the inputs and run"),
            new("done", "output reg ", null, null, stall ? "one-cycle pulse (held while stalled): outputs and memories hold the results" : "one-cycle pulse: outputs and memories hold the results"),
            new("busy", "output wire", null, null, string.Empty),
        };
        if (stall)
        {
            ports.Add(new("stall", "input  wire", null, null, "high: every register holds; the span ports show the access waiting for a cycle with stall low"));
        }

        foreach (KernelParameter p in function.Signature.Parameters)
        {
            if (function.ParameterBindings[p.Name] is IrMemory memory)
            {
                int element = p.Type.Bits;
                ports.Add(new(VerilogNames.Length(p.Name), "input  wire", addressBits + 1, p.Name, $"{p.Name}.Length"));
                ports.Add(new(VerilogNames.ReadAddress(p.Name), "output reg ", addressBits, p.Name, string.Empty));
                ports.Add(new(VerilogNames.ReadEnable(p.Name), "output reg ", null, p.Name, string.Empty));
                ports.Add(new(VerilogNames.ReadData(p.Name), "input  wire", element, p.Name, $"{p.Type.CSharpName}, the cycle after _rd_en"));
                if (memory.Writable)
                {
                    ports.Add(new(VerilogNames.WriteAddress(p.Name), "output reg ", addressBits, p.Name, string.Empty));
                    ports.Add(new(VerilogNames.WriteEnable(p.Name), "output reg ", null, p.Name, string.Empty));
                    ports.Add(new(VerilogNames.WriteData(p.Name), "output reg ", element, p.Name, string.Empty));
                }
            }
            else
            {
                bool output = p.Kind == KernelParameterKind.Out;
                ports.Add(new(VerilogNames.Scalar(p.Name), output ? "output wire" : "input  wire", p.Type.Bits, null, $"{(output ? "out " : string.Empty)}{p.Type.CSharpName} {p.Name}"));
            }
        }

        if (function.Signature.Return is KernelValueType returnType)
        {
            ports.Add(new(VerilogNames.Result, "output wire", returnType.Bits, null, $"return value ({returnType.CSharpName})"));
        }

        return ports;
    }
}
