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
    /// Runs every call on every back end (through <see cref="IKernelBackend.RunAll"/>, so that a simulator
    /// builds its design once) and compares each with the first. Throws <see cref="KernelMismatchException"/>
    /// at the first disagreement, or at the call a back end throws on where the reference does not;
    /// <paramref name="context"/>, e.g. a generated kernel's source, is appended.
    /// </summary>
    public static void CompareAll(IReadOnlyList<IKernelBackend> backends, IEnumerable<KernelCall> calls, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(calls);
        if (backends.Count == 0)
        {
            throw new ArgumentException("no back ends to run", nameof(backends));
        }

        IReadOnlyList<KernelCall> all = [.. calls];
        IReadOnlyList<KernelOutcome> expected = RunAllOrExplain(backends[0], all, context);
        foreach (IKernelBackend other in backends.Skip(1))
        {
            IReadOnlyList<KernelOutcome> actual = RunAllOrExplain(other, all, context);
            for (int i = 0; i < all.Count; i++)
            {
                ThrowOnDifference(backends[0].Name, expected[i], other.Name, actual[i], all[i], context);
            }
        }
    }

    /// <summary>
    /// Like <see cref="CompareAll"/>, for calls that may be outside a kernel's domain: where the first
    /// back end throws <see cref="KernelExecutionException"/>, every other must throw it with the same
    /// message; where it does not, the outcomes must agree. Throws <see cref="KernelMismatchException"/>
    /// at the first call where they differ.
    /// </summary>
    public static void CompareAllWithErrors(IReadOnlyList<IKernelBackend> backends, IEnumerable<KernelCall> calls, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(calls);
        foreach (KernelCall call in calls)
        {
            (KernelOutcome? expected, string? expectedError) = OutcomeOrError(backends[0], call);
            foreach (IKernelBackend other in backends.Skip(1))
            {
                (KernelOutcome? actual, string? actualError) = OutcomeOrError(other, call);
                if (expectedError != actualError)
                {
                    throw new KernelMismatchException(
                        $"{call.Signature.Name}: {other.Name} {(actualError is null ? "ran" : $"failed with '{actualError}'")} where {backends[0].Name} {(expectedError is null ? "ran" : $"failed with '{expectedError}'")}{Environment.NewLine}inputs:{Environment.NewLine}{DescribeInputs(call)}{Context(context)}");
                }

                if (expected is not null && actual is not null)
                {
                    ThrowOnDifference(backends[0].Name, expected, other.Name, actual, call, context);
                }
            }
        }
    }

    private static (KernelOutcome? Outcome, string? Error) OutcomeOrError(IKernelBackend backend, KernelCall call)
    {
        try
        {
            return (backend.Run(call), null);
        }
        catch (KernelExecutionException thrown)
        {
            return (null, thrown.Message);
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
        ThrowOnDifference(reference.Name, RunOrExplain(reference, call, context), other.Name, RunOrExplain(other, call, context), call, context);
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

    private static void ThrowOnDifference(string referenceName, KernelOutcome expected, string otherName, KernelOutcome actual, KernelCall call, string? context)
    {
        string? difference = FirstDifference(call.Signature, expected, actual);
        if (difference is not null)
        {
            throw new KernelMismatchException(
                $"{call.Signature.Name}: {otherName} differs from {referenceName} at {difference}{Environment.NewLine}inputs:{Environment.NewLine}{DescribeInputs(call)}{Context(context)}");
        }
    }

    // A batch that throws is rerun call by call, so that the failure names the call that throws.
    private static IReadOnlyList<KernelOutcome> RunAllOrExplain(IKernelBackend backend, IReadOnlyList<KernelCall> calls, string? context)
    {
        IReadOnlyList<KernelOutcome> outcomes;
        try
        {
            outcomes = backend.RunAll(calls);
        }
        catch (Exception thrown) when (thrown is not KernelMismatchException)
        {
            foreach (KernelCall call in calls)
            {
                RunOrExplain(backend, call, context);
            }

            throw new KernelMismatchException($"{backend.Name} threw {thrown.GetType().Name} running {calls.Count} calls (each alone runs): {thrown.Message}{Context(context)}", thrown);
        }

        if (outcomes.Count != calls.Count)
        {
            throw new KernelMismatchException($"{backend.Name} returned {outcomes.Count} outcomes for {calls.Count} calls{Context(context)}");
        }

        return outcomes;
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
