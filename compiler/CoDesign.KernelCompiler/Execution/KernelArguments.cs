using System.Globalization;
using System.Numerics;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Execution;

/// <summary>
/// Turns the <c>--arg name=v1,v2,...</c> options of <c>codesign kernel run</c> into a
/// <see cref="KernelCall"/>: a scalar takes one value, a span as many as it has elements
/// (<c>name=</c> is an empty span), an out parameter none.
/// </summary>
public static class KernelArguments
{
    /// <summary>
    /// Parses one call's arguments against <paramref name="signature"/>. Every scalar and span parameter
    /// must be given exactly once and out parameters not at all; values are decimal or <c>0x</c> hex
    /// integers with an optional sign, in the element type's range (bool: 0, 1, true, false), and are
    /// stored normalized. Out parameters get an empty array. Throws <see cref="KernelArgumentException"/>
    /// with a one-line message naming the argument at the first problem.
    /// </summary>
    public static KernelCall Parse(KernelSignature signature, IReadOnlyList<string> args)
    {
        var byName = signature.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var values = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (string arg in args)
        {
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new KernelArgumentException($"--arg {EchoedValue.Quote(arg)}: expected name=v1,v2,... (name= for an empty span)");
            }

            string name = arg[..equals].Trim();
            string text = arg[(equals + 1)..];
            if (!byName.TryGetValue(name, out KernelParameter? parameter))
            {
                throw new KernelArgumentException($"--arg {EchoedValue.Cut(name)}: {signature.Name} has no parameter {EchoedValue.Quote(name)} ({ParameterList(signature)})");
            }

            if (values.ContainsKey(name))
            {
                throw new KernelArgumentException($"--arg {name}: given twice");
            }

            values[name] = ParseValues(parameter, text);
        }

        foreach (KernelParameter parameter in signature.Parameters)
        {
            if (parameter.Kind == KernelParameterKind.Out)
            {
                values[parameter.Name] = [];
            }
            else if (!values.ContainsKey(parameter.Name))
            {
                string give = parameter.IsSpan
                    ? $"give --arg {parameter.Name}=v1,v2,... or {parameter.Name}= for an empty span"
                    : $"give --arg {parameter.Name}=V";
                throw new KernelArgumentException($"--arg {parameter.Name}: missing; {parameter.Name} is {Describe(parameter)} ({give})");
            }
        }

        return new KernelCall(signature, values);
    }

    /// <summary>How a parameter reads in messages: <c>a scalar int</c>, <c>a ReadOnlySpan&lt;byte&gt;</c>, <c>an out uint</c>.</summary>
    internal static string Describe(KernelParameter parameter) => parameter.Kind switch
    {
        KernelParameterKind.Scalar => $"a scalar {parameter.Type.CSharpName}",
        KernelParameterKind.Out => $"an out {parameter.Type.CSharpName}",
        _ => $"a {parameter.Kind}<{parameter.Type.CSharpName}>",
    };

    private static string ParameterList(KernelSignature signature) => signature.Parameters.Count == 0
        ? "it has no parameters"
        : "its parameters: " + string.Join(", ", signature.Parameters.Select(p => p.Name));

    private static long[] ParseValues(KernelParameter parameter, string text)
    {
        if (parameter.Kind == KernelParameterKind.Out)
        {
            throw new KernelArgumentException($"--arg {parameter.Name}: {parameter.Name} is an out parameter and takes no value (the kernel sets it)");
        }

        // "name=" is an empty span (and a scalar without its value); "name=,": two empty elements.
        string[] tokens = text.Trim().Length == 0 ? [] : text.Split(',');
        if (!parameter.IsSpan && tokens.Length != 1)
        {
            string got = tokens.Length == 0 ? "none" : tokens.Length.ToString(CultureInfo.InvariantCulture);
            throw new KernelArgumentException($"--arg {parameter.Name}: {parameter.Name} is {Describe(parameter)} and takes exactly one value, got {got}");
        }

        var result = new long[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            string where = parameter.IsSpan ? $"{parameter.Name}[{i}]" : parameter.Name;
            result[i] = ParseValue(where, parameter.Type, tokens[i].Trim());
        }

        return result;
    }

    private static long ParseValue(string where, KernelValueType type, string token)
    {
        if (type.IsBool)
        {
            return token.ToLowerInvariant() switch
            {
                "0" or "false" => 0,
                "1" or "true" => 1,
                _ => throw new KernelArgumentException($"--arg {where}: {EchoedValue.Quote(token)} is not a bool (0, 1, true or false)"),
            };
        }

        if (!TryParseInteger(token, out BigInteger value))
        {
            throw new KernelArgumentException($"--arg {where}: {EchoedValue.Quote(token)} is not an integer (decimal, or hex as 0x...)");
        }

        if (value < type.MinValue || value > type.MaxValue)
        {
            string range = $"{type.ToText(type.MinValue)}..{type.ToText(unchecked((long)type.MaxValue))}";
            throw new KernelArgumentException($"--arg {where}: {EchoedValue.Cut(token)} is out of range for {type.CSharpName} ({range})");
        }

        // In range, so the low 64 bits are the value's two's-complement pattern.
        return type.Normalize(unchecked((long)(ulong)(value & ulong.MaxValue)));
    }

    // Optional sign, then decimal digits or 0x and hex digits: no spaces, separators or exponents.
    private static bool TryParseInteger(string token, out BigInteger value)
    {
        value = BigInteger.Zero;
        bool negative = token.StartsWith('-');
        string digits = token.StartsWith('-') || token.StartsWith('+') ? token[1..] : token;
        bool hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (hex)
        {
            digits = digits[2..];
        }

        if (digits.Length == 0 || !digits.All(c => hex ? char.IsAsciiHexDigit(c) : char.IsAsciiDigit(c)))
        {
            return false;
        }

        // A leading 0 keeps the hex parser from reading the top digit as a sign.
        value = hex
            ? BigInteger.Parse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        value = negative ? -value : value;
        return true;
    }
}
