using System.Text;
using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.TestSupport;

/// <summary>
/// Runs calls on a reference back end (the CPU) and on others (the IR interpreter, the RTL simulator)
/// and insists that every span, out value and return value agree. Cycles are not compared: only the
/// hardware has them.
/// </summary>
public static class ConformanceCheck
{
    /// <summary>
    /// Runs every call on every back end and compares each with the first. Throws
    /// <see cref="KernelMismatchException"/> at the first disagreement (or a back end that throws where
    /// the reference does not); <paramref name="context"/>, e.g. a generated kernel's source, is appended.
    /// </summary>
    public static void CompareAll(IReadOnlyList<IKernelBackend> backends, IEnumerable<KernelCall> calls, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(calls);
        if (backends.Count == 0)
        {
            throw new ArgumentException("no back ends to run", nameof(backends));
        }

        foreach (KernelCall call in calls)
        {
            KernelOutcome expected = RunOrExplain(backends[0], call, context);
            foreach (IKernelBackend other in backends.Skip(1))
            {
                Compare(backends[0].Name, expected, other, call, context);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> on both back ends and throws <see cref="KernelMismatchException"/>
    /// naming the kernel, the inputs and the first differing output (name, index, expected, actual).
    /// </summary>
    public static void Compare(IKernelBackend reference, IKernelBackend other, KernelCall call, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(call);
        Compare(reference.Name, RunOrExplain(reference, call, context), other, call, context);
    }

    /// <summary>The inputs of a call as lines <c>name = v1 v2 ...</c> (out parameters left out).</summary>
    public static string DescribeInputs(KernelCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var text = new StringBuilder();
        foreach (KernelParameter parameter in call.Signature.Parameters.Where(p => p.Kind != KernelParameterKind.Out))
        {
            long[] values = call.Arguments.GetValueOrDefault(parameter.Name) ?? [];
            text.Append("  ").Append(parameter.Name).Append(" =");
            foreach (long value in values)
            {
                text.Append(' ').Append(parameter.Type.ToText(value));
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>The first difference between two outcomes as <c>name[index]: expected E, actual A</c>, or null when they agree.</summary>
    public static string? FirstDifference(KernelSignature signature, KernelOutcome expected, KernelOutcome actual)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        foreach (KernelParameter parameter in signature.Parameters.Where(p => p.IsSpan || p.Kind == KernelParameterKind.Out))
        {
            long[] want = expected.Results.GetValueOrDefault(parameter.Name) ?? [];
            if (!actual.Results.TryGetValue(parameter.Name, out long[]? got))
            {
                return $"{parameter.Name}: missing from the outcome";
            }

            for (int i = 0; i < Math.Max(want.Length, got.Length); i++)
            {
                if (i >= want.Length || i >= got.Length)
                {
                    return $"{parameter.Name}: expected {want.Length} values, actual {got.Length}";
                }

                if (want[i] != got[i])
                {
                    string where = parameter.IsSpan ? $"{parameter.Name}[{i}]" : parameter.Name;
                    return $"{where}: expected {parameter.Type.ToText(want[i])}, actual {parameter.Type.ToText(got[i])}";
                }
            }
        }

        if (expected.Return != actual.Return)
        {
            KernelValueType type = signature.Return ?? new KernelValueType(64, true);
            string Show(long? value) => value is long v ? type.ToText(v) : "none";
            return $"return: expected {Show(expected.Return)}, actual {Show(actual.Return)}";
        }

        return null;
    }

    private static void Compare(string referenceName, KernelOutcome expected, IKernelBackend other, KernelCall call, string? context)
    {
        KernelOutcome actual = RunOrExplain(other, call, context);
        string? difference = FirstDifference(call.Signature, expected, actual);
        if (difference is not null)
        {
            throw new KernelMismatchException(
                $"{call.Signature.Name}: {other.Name} differs from {referenceName} at {difference}{Environment.NewLine}inputs:{Environment.NewLine}{DescribeInputs(call)}{Context(context)}");
        }
    }

    private static KernelOutcome RunOrExplain(IKernelBackend backend, KernelCall call, string? context)
    {
        try
        {
            return backend.Run(call);
        }
        catch (Exception thrown) when (thrown is not KernelMismatchException)
        {
            throw new KernelMismatchException(
                $"{call.Signature.Name}: {backend.Name} threw {thrown.GetType().Name}: {thrown.Message}{Environment.NewLine}inputs:{Environment.NewLine}{DescribeInputs(call)}{Context(context)}",
                thrown);
        }
    }

    private static string Context(string? context) => context is null ? string.Empty : Environment.NewLine + context;
}
