namespace CoDesign.TestSupport;

/// <summary>
/// Writes random kernels of the subset, for differential tests of the compiler against the CPU: a static
/// class with one static method of a few scalar parameters, maybe a <c>ReadOnlySpan&lt;int&gt;</c> or
/// <c>ReadOnlySpan&lt;byte&gt;</c> input and a <c>Span&lt;int&gt;</c> output, whose body mixes every
/// integer type with casts, shifts by variable amounts, guarded <c>/</c> and <c>%</c>, patterns,
/// <c>?:</c>, if/else, loops with constant trip counts or bounded by a span's length, break, continue,
/// early returns, compound assignment, <c>Math.Min</c>/<c>Max</c> and <c>PopCount</c>. Every kernel
/// is total (no input makes it throw) and stops within a few thousand steps. The same seed gives the
/// same kernels.
/// </summary>
public sealed class RandomKernelGenerator(int seed, int maxStatements = 20, int maxExpressionDepth = 3)
{
    private readonly Random random = new(seed);
    private int count;

    /// <summary>The most statements a kernel has (declarations, assignments, loops and ifs each count one).</summary>
    public int MaxStatements { get; } = maxStatements;

    /// <summary>The deepest nesting of operators in an expression.</summary>
    public int MaxExpressionDepth { get; } = maxExpressionDepth;

    /// <summary>The next kernel; its class is named after the seed and the kernel's number.</summary>
    public GeneratedKernel Next()
    {
        string className = $"RandomKernel{seed}_{count++}";
        var writer = new RandomKernelWriter(random, MaxStatements, MaxExpressionDepth);
        return new GeneratedKernel(className, RandomKernelWriter.MethodName, writer.Write(className));
    }
}
