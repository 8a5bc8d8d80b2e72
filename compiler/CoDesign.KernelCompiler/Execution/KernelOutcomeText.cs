using System.Globalization;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Execution;

/// <summary>
/// What <c>codesign kernel run</c> prints after a call: <c>name = v1 v2 ...</c> for every span and out
/// parameter in parameter order (<c>name =</c> for an empty span), <c>return = v</c> when the kernel
/// returns a value, and <c>cycles = N</c> from hardware. Values are decimal, unsigned types as unsigned.
/// </summary>
public static class KernelOutcomeText
{
    /// <summary>
    /// The printed lines of <paramref name="outcome"/>; <c>cycles</c> only when <paramref name="withCycles"/>
    /// and the outcome has them. Throws <see cref="ArgumentException"/> when the outcome lacks a span's or
    /// out parameter's result, or the return value of a kernel that has one (a back end's bug).
    /// </summary>
    public static IReadOnlyList<string> Lines(KernelSignature signature, KernelOutcome outcome, bool withCycles)
    {
        var lines = new List<string>();
        foreach (KernelParameter parameter in signature.Parameters.Where(p => p.IsSpan || p.Kind == KernelParameterKind.Out))
        {
            if (!outcome.Results.TryGetValue(parameter.Name, out long[]? values))
            {
                throw new ArgumentException($"the outcome of {signature.Name} has no result for '{parameter.Name}'", nameof(outcome));
            }

            lines.Add(Line(parameter.Name, parameter.Type, values));
        }

        if (signature.Return is KernelValueType type)
        {
            long value = outcome.Return ?? throw new ArgumentException($"the outcome of {signature.Name} has no return value", nameof(outcome));
            lines.Add(Line("return", type, [value]));
        }

        if (withCycles && outcome.Cycles is long cycles)
        {
            lines.Add("cycles = " + cycles.ToString(CultureInfo.InvariantCulture));
        }

        return lines;
    }

    private static string Line(string name, KernelValueType type, long[] values) =>
        values.Length == 0 ? name + " =" : name + " = " + string.Join(' ', values.Select(type.ToText));
}
