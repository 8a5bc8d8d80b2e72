namespace CoDesign.KernelCompiler;

/// <summary>How to compile a kernel.</summary>
public sealed record CompileOptions
{
    /// <summary>Clock target in MHz: operations chain within one period of it (default 30, the UP5K board's clock).</summary>
    public double ClockMhz { get; init; } = 30;

    /// <summary>Device whose measured delays the scheduler uses: <c>up5k</c> or <c>hx8k</c>.</summary>
    public string Device { get; init; } = "up5k";

    /// <summary>Address bits of each span port: spans of up to 2^AddressBits elements.</summary>
    public int AddressBits { get; init; } = 16;

    /// <summary>What hardware to make (default: a pipeline when the kernel allows one, else a state machine).</summary>
    public KernelShape Shape { get; init; } = KernelShape.Auto;

    /// <summary>The command line that makes this module, for its header (default: the plain <c>codesign kernel verilog</c> form).</summary>
    public string? Command { get; init; }

    /// <summary>Modulo-schedule loops of one block into pipelines (off: one iteration at a time, for comparisons).</summary>
    public bool PipelineLoops { get; init; } = true;

    /// <summary>
    /// Give a pipeline a tag: <c>in_tag</c> enters with the inputs and leaves as <c>out_tag</c> with the
    /// outputs (width: the module's parameter <c>TAG_BITS</c>), plus <c>busy</c>, high while an input is in
    /// the pipeline. For a caller that keeps side information with each input (the PE's row) and waits
    /// for the pipeline to drain. Only a pipeline takes one.
    /// </summary>
    public bool PipelineTag { get; init; }

    /// <summary>
    /// Give the module a <c>stall</c> input, a clock enable: while it is high every register holds (state,
    /// variables, pipeline stages, <c>done</c>) and no access of the module's own memories happens. The
    /// span ports keep showing the access the module waits to make, so that a wrapper may stall on it
    /// (a stream whose next element has not arrived); the memory outside must take it only in a cycle
    /// with <c>stall</c> low. For a caller that cannot always serve the module (a shared memory, a
    /// stream, back-pressure). Combinational logic holds nothing and takes none.
    /// </summary>
    public bool Stall { get; init; }

    /// <summary>Flatten loop nests whose inner loop has a variable bound into one loop (off: the nest stays, for comparisons).</summary>
    public bool Flatten { get; init; } = true;

    /// <summary>Decide where a branch to a small test block goes next in the branching block's last cycle, so the test takes no state (off: every test a state of its own, for comparisons).</summary>
    public bool ThreadBranches { get; init; } = true;

    /// <summary>Run the optimizing passes (off: the lowered IR as it is, for comparisons).</summary>
    public bool Optimize { get; init; } = true;
}
