using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.Benchmarks.Kernels;

/// <summary>
/// A compiled kernel and the hand-written module it should match: what to compile, what to
/// synthesize beside it, the call its cycles are measured on, and the hand module's cycles for it.
/// </summary>
/// <param name="KernelFile">File of kernels/.</param>
/// <param name="Method"><c>Class.Method</c>, with parameter types where overloaded.</param>
/// <param name="Shape">The shape to ask the compiler for.</param>
/// <param name="HandFiles">The hand module's sources (looked up in hardware/baseline/, then hardware/rtl/).</param>
/// <param name="HandTop">The hand module, synthesized with its default parameters unless <paramref name="HandParameters"/> says otherwise.</param>
/// <param name="IsPe">Judged by the PE's bars rather than the small kernels'.</param>
/// <param name="Input">The representative call, built for the compiled kernel's signature.</param>
/// <param name="HandCycles">The hand module's cycles for that call, and where the number comes from.</param>
/// <param name="Note">What differs between the two beyond the numbers.</param>
/// <param name="ClockMhz">The clock target the compiled module is scheduled for, as hardware/generate-rtl.sh compiles it.</param>
/// <param name="PipelineTag">Compile the pipeline with a tag (<c>--tag</c>), as the accelerator's copy is.</param>
/// <param name="HandParameters">Parameters of the hand module other than its defaults, as the accelerator instantiated it.</param>
/// <param name="InnerMemories">Spans the hand module keeps inside itself, with their depths: the compiled kernel is synthesized with them as block RAMs (<see cref="KernelMemoryShell"/>).</param>
/// <param name="NarrowedPorts">Spans the hand module's memories hold narrower than the kernel's element type, with the bits they hold: the compiled kernel reads them zero-extended from a port that wide (<see cref="KernelMemoryShell"/>).</param>
/// <param name="Stall">Compile with a stall input (<c>--stall</c>), as a module fed by streams needs; cycles are counted with stall low, the bench stalling it at random.</param>
/// <param name="Device">The device whose delays schedule the kernel on every board, where one copy compiled by hardware/generate-rtl.sh (with the compiler's default, up5k delays) serves both boards; null: the board's own device.</param>
internal sealed record KernelPair(
    string KernelFile,
    string Method,
    KernelShape Shape,
    IReadOnlyList<string> HandFiles,
    string HandTop,
    bool IsPe,
    Func<KernelSignature, KernelCall> Input,
    Func<KernelCall, (long Cycles, string Source)> HandCycles,
    string Note,
    double ClockMhz = 30,
    bool PipelineTag = false,
    IReadOnlyDictionary<string, string>? HandParameters = null,
    IReadOnlyDictionary<string, int>? InnerMemories = null,
    string? Device = null,
    IReadOnlyDictionary<string, int>? NarrowedPorts = null,
    bool Stall = false)
{
    /// <summary>A short name for the table.</summary>
    public string Title => $"{Method.Split('(')[0]}{(Stall ? " --stall" : string.Empty)} vs {HandTop}";

    /// <summary>What the report adds after the method's name when the kernel is compiled with a stall input.</summary>
    public string StallMark => Stall ? " (`--stall`)" : string.Empty;
}
