using System.Globalization;
using System.Text;
using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Verilog;

/// <summary>
/// The Verilog of one IR operation, shared by the state-machine and pipeline writers. Values are
/// plain bit vectors; every operand is extended or cut to the width its operation needs, by its own
/// signedness, so the arithmetic is C#'s whatever widths narrowing chose.
/// </summary>
public static class NodeText
{
    /// <summary>
    /// The declaration of <paramref name="node"/>'s wire (and any intermediate one), commented with its C#;
    /// <paramref name="fit"/> gives an operand as exactly the asked number of bits.
    /// </summary>
    public static string Declare(IrNode node, Func<IrNode, int, string> fit)
    {
        var text = new StringBuilder();
        int width = node.Storage.Bits;
        string comment = Comment(node.Origin);
        IrNode a = node.Inputs[0];
        switch (node.Op)
        {
            case IrOp.Add or IrOp.Sub or IrOp.Mul or IrOp.And or IrOp.Or or IrOp.Xor:
                string op = node.Op switch
                {
                    IrOp.Add => "+",
                    IrOp.Sub => "-",
                    IrOp.Mul => "*",
                    IrOp.And => "&",
                    IrOp.Or => "|",
                    _ => "^",
                };
                Wire(text, node, $"{fit(a, width)} {op} {fit(node.Inputs[1], width)}", comment);
                break;
            case IrOp.Neg:
                Wire(text, node, $"-{fit(a, width)}", comment);
                break;
            case IrOp.Not:
                Wire(text, node, $"~{fit(a, width)}", comment);
                break;
            case IrOp.LogicalNot:
                Wire(text, node, $"{fit(a, a.Storage.Bits)} == {Literal(0, a.Storage.Bits)}", comment);
                break;
            case IrOp.Convert:
                Wire(text, node, fit(a, width), comment);
                break;
            case IrOp.Select:
                Wire(text, node, $"{fit(a, 1)} ? {fit(node.Inputs[1], width)} : {fit(node.Inputs[2], width)}", comment);
                break;
            case IrOp.Shl:
                Wire(text, node, $"{fit(a, width)} << {fit(node.Inputs[1], CountBits(node))}", comment);
                break;
            case IrOp.Shr:
                {
                    int full = Math.Max(a.Storage.Bits, width);
                    string shifted = a.Storage.Signed
                        ? $"$signed({fit(a, full)}) >>> {fit(node.Inputs[1], CountBits(node))}"
                        : $"{fit(a, full)} >> {fit(node.Inputs[1], CountBits(node))}";
                    WireAt(text, node, shifted, full, a.Storage.Signed, comment);
                    break;
                }

            case IrOp.Div or IrOp.Rem:
                {
                    IrNode b = node.Inputs[1];
                    string op2 = node.Op == IrOp.Div ? "/" : "%";
                    if (node.Type.Signed)
                    {
                        int full = Math.Max(a.Storage.Bits, b.Storage.Bits) + 1;
                        WireAt(text, node, $"$signed({fit(a, full)}) {op2} $signed({fit(b, full)})", full, true, comment);
                    }
                    else
                    {
                        int full = Math.Max(a.Storage.Bits, b.Storage.Bits);
                        WireAt(text, node, $"{fit(a, full)} {op2} {fit(b, full)}", full, false, comment);
                    }

                    break;
                }

            case IrOp.Eq or IrOp.Ne or IrOp.Lt or IrOp.Le or IrOp.Gt or IrOp.Ge:
                {
                    IrNode b = node.Inputs[1];
                    int full = Math.Max(a.Storage.Bits, b.Storage.Bits) + 1;
                    if (SplitComparison.Applies(node))
                    {
                        // a > b is b < a; a >= b is not a < b; a <= b is not b < a.
                        bool swap = node.Op is IrOp.Gt or IrOp.Le;
                        SplitComparison.Declare(text, $"n{node.Id}", fit(swap ? b : a, full), fit(swap ? a : b, full), full, node.Op is IrOp.Le or IrOp.Ge, comment);
                        break;
                    }

                    string op3 = node.Op switch
                    {
                        IrOp.Eq => "==",
                        IrOp.Ne => "!=",
                        IrOp.Lt => "<",
                        IrOp.Le => "<=",
                        IrOp.Gt => ">",
                        _ => ">=",
                    };
                    Wire(text, node, $"$signed({fit(a, full)}) {op3} $signed({fit(b, full)})", comment);
                    break;
                }

            case IrOp.PopCount:
                {
                    int bits = a.Type.Bits;
                    text.AppendLine($"    wire [{bits - 1}:0] n{node.Id}_bits = {fit(a, bits)};");
                    Wire(text, node, string.Join(" + ", Enumerable.Range(0, bits).Select(i => $"{Resize($"n{node.Id}_bits[{i}]", 1, false, width)}")), comment);
                    break;
                }

            default:
                throw new InvalidOperationException($"no Verilog for {node.Op}");
        }

        return text.ToString().TrimEnd('\n', '\r');
    }

    private static int CountBits(IrNode shift) => shift.Type.Bits == 64 ? 6 : 5;

    private static void Wire(StringBuilder text, IrNode node, string expression, string comment) =>
        text.AppendLine($"    wire [{node.Storage.Bits - 1}:0] n{node.Id} = {expression};   // {comment}");

    /// <summary>An operation computed at <paramref name="full"/> bits, then fitted to the node's storage.</summary>
    private static void WireAt(StringBuilder text, IrNode node, string expression, int full, bool signed, string comment)
    {
        if (full == node.Storage.Bits)
        {
            Wire(text, node, expression, comment);
            return;
        }

        text.AppendLine($"    wire [{full - 1}:0] n{node.Id}_full = {expression};");
        Wire(text, node, Resize($"n{node.Id}_full", full, signed, node.Storage.Bits), comment);
    }

    /// <summary><paramref name="name"/> (<paramref name="bits"/> wide) as exactly <paramref name="width"/> bits: extended by its sign, or cut.</summary>
    public static string Resize(string name, int bits, bool signed, int width)
    {
        if (bits == width)
        {
            return name;
        }

        if (bits > width)
        {
            return width == 1 ? $"{name}[0]" : $"{name}[{width - 1}:0]";
        }

        string fill = signed ? $"{{{width - bits}{{{name}[{bits - 1}]}}}}" : $"{{{width - bits}{{1'b0}}}}";
        return $"{{{fill}, {name}}}";
    }

    /// <summary>
    /// A sized literal of <paramref name="value"/> (a canonical pattern, <paramref name="signed"/> telling
    /// how it extends) modulo 2^<paramref name="width"/>.
    /// </summary>
    public static string Literal(long value, int width, bool signed = true)
    {
        if (width > 64)
        {
            // Wider than the pattern: a signed negative value extends with ones.
            string fill = signed && value < 0 ? "1'b1" : "1'b0";
            return $"{{{{{width - 64}{{{fill}}}}}, 64'd{((ulong)value).ToString(CultureInfo.InvariantCulture)}}}";
        }

        ulong bits = width == 64 ? (ulong)value : (ulong)value & ((1UL << width) - 1);
        return $"{width}'d{bits.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string Comment(string origin) => origin.ReplaceLineEndings(" ");
}
