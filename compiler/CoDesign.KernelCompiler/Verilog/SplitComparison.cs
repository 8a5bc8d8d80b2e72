using System.Text;
using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Verilog;

/// <summary>
/// How a wide ordered compare is written: as two halves side by side. An iCE40 compares through its
/// carry chain, which ripples one bit at a time, so <c>a &lt; b</c> at 33 bits is one long chain; split,
/// the high halves' compare and the low halves' run at the same time and the high halves' equality
/// picks which one decides. Measured by <c>hardware/synth/measure-delays.sh</c> (<c>lt</c> against
/// <c>lt_split</c>, signed, UP5K): 16 bits 14.5 against 12.3 ns, 32 bits 20.0 against 14.8, 64 bits
/// 27.6 against 20.4, for about one LUT4 per two bits of the high half more. Not when an operand is
/// an adder's sum in the same cycle: its bits arrive low first, so an unsplit compare's chain ripples
/// right behind the adder's, while the split one waits for the sum's top half (the earlier unpack
/// kernel's <c>gathered + take &lt; valueBits</c> went from 30.8 to 27.0 MHz split), and not against a constant
/// (Yosys simplifies that compare itself; a half of it is often constant). The delay model and the
/// Verilog writer both ask <see cref="Applies"/>, so the schedule assumes the form that is written.
/// </summary>
public static class SplitComparison
{
    /// <summary>Operands this wide and wider are compared in two halves.</summary>
    public const int MinimumBits = 16;

    /// <summary>True when <paramref name="node"/> is an ordered compare written in two halves.</summary>
    public static bool Applies(IrNode node) =>
        node.Op is IrOp.Lt or IrOp.Le or IrOp.Gt or IrOp.Ge
        && node.Inputs.Max(i => i.Storage.Bits) >= MinimumBits
        && !node.Inputs.Select(Unconverted).Any(i => i.Op is IrOp.Add or IrOp.Sub or IrOp.Neg or IrOp.Const);

    /// <summary>The value behind any width conversion.</summary>
    private static IrNode Unconverted(IrNode node)
    {
        while (node.Op == IrOp.Convert)
        {
            node = node.Inputs[0];
        }

        return node;
    }

    /// <summary>
    /// Declares <c>{name}</c> as <c>left &lt; right</c> (negated when <paramref name="negate"/>) on
    /// operands given as <paramref name="bits"/>-bit two's-complement expressions: the high halves
    /// compared signed, the low halves unsigned.
    /// </summary>
    public static void Declare(StringBuilder text, string name, string left, string right, int bits, bool negate, string comment)
    {
        int low = bits / 2;
        string high = $"[{bits - 1}:{low}]";
        string rest = $"[{low - 1}:0]";
        text.AppendLine($"    wire [{bits - 1}:0] {name}_a = {left};");
        text.AppendLine($"    wire [{bits - 1}:0] {name}_b = {right};");
        text.AppendLine($"    wire {name}_high_lt = $signed({name}_a{high}) < $signed({name}_b{high});   // split compare: see SplitComparison.cs");
        text.AppendLine($"    wire {name}_high_eq = {name}_a{high} == {name}_b{high};");
        text.AppendLine($"    wire {name}_low_lt = {name}_a{rest} < {name}_b{rest};");
        string lt = $"{name}_high_lt | ({name}_high_eq & {name}_low_lt)";
        text.AppendLine($"    wire [0:0] {name} = {(negate ? $"~({lt})" : lt)};   // {comment}");
    }
}
