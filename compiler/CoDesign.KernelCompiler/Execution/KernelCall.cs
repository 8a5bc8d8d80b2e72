using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Execution;

/// <summary>
/// The arguments of one call of a kernel, by parameter name, as canonical 64-bit patterns (see
/// <see cref="KernelValueType.Normalize"/>): a scalar has one value, a span its elements, an out
/// parameter none.
/// </summary>
public sealed record KernelCall(KernelSignature Signature, IReadOnlyDictionary<string, long[]> Arguments);
