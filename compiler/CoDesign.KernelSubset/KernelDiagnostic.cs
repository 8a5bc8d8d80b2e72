using Microsoft.CodeAnalysis;

namespace CoDesign.KernelSubset;

/// <summary>
/// One reason a method cannot become hardware, in the form every tool of the stack prints:
/// <c>FILE.cs(line,col): CDKnnnn: &lt;construct&gt; &lt;why&gt;</c> (line and column from 1).
/// </summary>
public sealed class KernelDiagnostic
{
    /// <summary>Creates a diagnostic at a file position.</summary>
    public KernelDiagnostic(string code, string file, int line, int column, string construct, string why)
    {
        Code = code;
        File = file;
        Line = line;
        Column = column;
        Construct = construct;
        Why = why;
    }

    /// <summary>The rule's code, <c>CDK</c> and four digits (the rules are listed in the README, "Writing kernels").</summary>
    public string Code { get; }

    /// <summary>The source file's name as the user gave it.</summary>
    public string File { get; }

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>The offending construct, e.g. <c>'new int[4]'</c> or <c>floating-point type 'double'</c>.</summary>
    public string Construct { get; }

    /// <summary>Why hardware cannot have it, briefly.</summary>
    public string Why { get; }

    /// <summary>A diagnostic at a Roslyn location.</summary>
    public static KernelDiagnostic At(Location location, string code, string construct, string why)
    {
        FileLinePositionSpan span = location.GetLineSpan();
        return new KernelDiagnostic(code, span.Path ?? string.Empty, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, construct, why);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{File}({Line},{Column}): {Code}: {Construct} {Why}";
}
