using System.Globalization;
using System.Text;

namespace CoDesign.KernelCompiler.Constants;

/// <summary>
/// One C# constant (a <c>const</c> field or an enum member) as a Verilog <c>localparam</c> of the
/// C# type's width, e.g. <c>localparam [7:0] FRAME_TYPE_HELLO = 8'h01; // FrameType.cs:11</c>.
/// </summary>
/// <param name="Name">The Verilog name: the type's and the member's names in UPPER_SNAKE (<c>FRAME_TYPE_HELLO</c>).</param>
/// <param name="Width">Bits of the C# type (8 for byte and byte-based enums, 32 for int, 1 for bool; 8 per character for a string).</param>
/// <param name="Signed">Whether the C# type is signed (the localparam is declared signed only for a negative value).</param>
/// <param name="Value">The value: a <see cref="long"/>, <see cref="ulong"/> (ulong constants), <see cref="bool"/> or <see cref="string"/>.</param>
/// <param name="Hex">Written in hexadecimal (enum members and byte constants: codes and flags) rather than decimal (sizes).</param>
/// <param name="File">The declaring file's name.</param>
/// <param name="Line">The declaration's 1-based line.</param>
public sealed record VerilogConstant(string Name, int Width, bool Signed, object Value, bool Hex, string File, int Line)
{
    /// <summary>The <c>localparam</c> line, with the declaration's <c>// File.cs:line</c>.</summary>
    public string ToVerilog()
    {
        string range = $"[{Width - 1}:0]";
        string value = Value switch
        {
            string text => Quoted(text),
            bool flag => flag ? "1'b1" : "1'b0",
            long negative when negative < 0 => FormattableString.Invariant($"-{Width}'sd{(ulong)-(negative + 1) + 1}"),
            long number => Literal((ulong)number),
            ulong number => Literal(number),
            _ => throw new InvalidOperationException($"constant {Name} has a value of type {Value.GetType().Name}"),
        };
        // Only a negative value is declared signed: mixed into unsigned expressions (lengths, bytes) a signed
        // parameter would change how Verilog extends the other operands.
        string signed = Value is long and < 0 ? "signed " : "";
        return $"localparam {signed}{range} {Name} = {value}; // {File}:{Line.ToString(CultureInfo.InvariantCulture)}";
    }

    private string Literal(ulong number) =>
        Hex ? $"{Width}'h{number.ToString($"X{(Width + 3) / 4}", CultureInfo.InvariantCulture)}" : FormattableString.Invariant($"{Width}'d{number}");

    // A Verilog string literal: backslash and double quote escaped, other characters outside ASCII's printable range as octal escapes.
    private static string Quoted(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (char c in text)
        {
            quoted.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                >= ' ' and <= '~' => c.ToString(),
                _ => "\\" + Convert.ToString(c & 0xFF, 8).PadLeft(3, '0'),
            });
        }

        return quoted.Append('"').ToString();
    }
}
