using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Execution;

/// <summary>
/// The arguments of one call of a kernel, by parameter name, as canonical 64-bit patterns (see
/// <see cref="KernelValueType.Normalize"/>): a scalar has one value, a span its elements, an out
/// parameter none.
/// </summary>
public sealed record KernelCall(KernelSignature Signature, IReadOnlyDictionary<string, long[]> Arguments)
{
    /// <summary>
    /// The arguments in parameter order, as a back end passes them: a scalar's one value, a span's
    /// elements, nothing for an out parameter. Throws <see cref="ArgumentException"/> for a scalar
    /// without exactly one value or a span with none given.
    /// </summary>
    public long[][] InParameterOrder()
    {
        IReadOnlyList<KernelParameter> parameters = Signature.Parameters;
        var arguments = new long[parameters.Count][];
        for (int i = 0; i < parameters.Count; i++)
        {
            KernelParameter parameter = parameters[i];
            long[]? values = Arguments.GetValueOrDefault(parameter.Name);
            arguments[i] = parameter.Kind switch
            {
                KernelParameterKind.Out => [],
                KernelParameterKind.Scalar when values is { Length: 1 } => values,
                KernelParameterKind.Scalar => throw new ArgumentException($"{Signature.Name}: scalar '{parameter.Name}' needs exactly one value"),
                _ => values ?? throw new ArgumentException($"{Signature.Name}: span '{parameter.Name}' has no value"),
            };
        }

        return arguments;
    }
}
