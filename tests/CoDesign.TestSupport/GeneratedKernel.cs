namespace CoDesign.TestSupport;

/// <summary>A kernel written by <see cref="RandomKernelGenerator"/>: its class, method and the whole file's source.</summary>
public sealed record GeneratedKernel(string ClassName, string MethodName, string Source)
{
    /// <summary><c>Class.Method</c>, as <c>KernelSource.FindMethod</c> takes it.</summary>
    public string QualifiedName => $"{ClassName}.{MethodName}";

    /// <summary>The source with line numbers, for failure messages.</summary>
    public string Listing() => string.Join(
        Environment.NewLine,
        Source.Split('\n').Select((line, i) => $"{i + 1,4}: {line.TrimEnd('\r')}"));
}
