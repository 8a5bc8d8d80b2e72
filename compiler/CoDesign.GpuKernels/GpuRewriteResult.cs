using System.Collections.Generic;
using CoDesign.KernelSubset;

namespace CoDesign.GpuKernels;

/// <summary>What <see cref="GpuKernelRewriter"/> made of some kernel files.</summary>
public sealed class GpuRewriteResult
{
    internal GpuRewriteResult(IReadOnlyList<GpuRewrittenFile> files, IReadOnlyList<KernelDiagnostic> refusals)
    {
        Files = files;
        Refusals = refusals;
    }

    /// <summary>One rewritten file per input file that has kernel classes.</summary>
    public IReadOnlyList<GpuRewrittenFile> Files { get; }

    /// <summary>
    /// Why methods were left out, one line each (<c>FILE.cs(l,c): CODE: construct why</c>): the subset's
    /// violations, and what has no ILGPU form. A method that calls a refused method is left out too.
    /// </summary>
    public IReadOnlyList<KernelDiagnostic> Refusals { get; }
}

/// <summary>One kernel file rewritten: <c>Gpu&lt;Class&gt;</c> classes with the methods that could be rewritten.</summary>
public sealed class GpuRewrittenFile
{
    internal GpuRewrittenFile(string path, string text, IReadOnlyList<string> methods)
    {
        Path = path;
        Text = text;
        Methods = methods;
    }

    /// <summary>The kernel file it comes from.</summary>
    public string Path { get; }

    /// <summary>The C# source, ready to compile against ILGPU with <see cref="GpuSupportSource.Text"/>.</summary>
    public string Text { get; }

    /// <summary>The rewritten methods, as <c>Class.Method</c> of the original.</summary>
    public IReadOnlyList<string> Methods { get; }
}
