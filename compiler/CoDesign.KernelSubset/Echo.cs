using System.Text;
using Microsoft.CodeAnalysis;

namespace CoDesign.KernelSubset;

/// <summary>Quotes source code into a construct: single quotes, one line, cut to a few dozen characters.</summary>
internal static class Echo
{
    /// <summary>Longest code quoted whole; longer code keeps its start and ends in "...".</summary>
    public const int MaxChars = 40;

    public static string Quote(SyntaxNode node) => Quote(node.ToString());

    public static string Quote(string code)
    {
        // Spread-out code (a call over several lines) reads better in a message on one line.
        var text = new StringBuilder(code.Length);
        bool space = false;
        foreach (char c in code)
        {
            if (char.IsWhiteSpace(c))
            {
                space = text.Length > 0;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(c);
        }

        string shown = text.Length > MaxChars ? text.ToString(0, MaxChars - 3) + "..." : text.ToString();
        return "'" + shown + "'";
    }

    /// <summary><c>Type.Member</c>, the way a message names a method, field or property.</summary>
    public static string Member(ISymbol symbol)
    {
        string name = symbol is IPropertySymbol { IsIndexer: true } ? "this[]" : symbol.Name;
        return symbol.ContainingType is null ? name : symbol.ContainingType.Name + "." + name;
    }
}
