namespace CoDesign.KernelCompiler;

/// <summary>The hardware a kernel becomes.</summary>
public enum KernelShape
{
    /// <summary>A pipeline when the kernel is one block without memories, else a state machine.</summary>
    Auto,

    /// <summary>A state machine with start/done, one state per block step: any kernel.</summary>
    StateMachine,

    /// <summary>
    /// A pipeline that takes inputs every cycle (<c>in_valid</c>) and gives outputs a fixed number of
    /// cycles later (<c>out_valid</c>), one stage per step: kernels that become one block without
    /// memories (after unrolling and if-conversion).
    /// </summary>
    Pipeline,

    /// <summary>Pure logic from inputs to outputs, whatever the clock: a pipeline of one step.</summary>
    Combinational,
}

/// <summary>The names <c>--shape</c> takes, shared by the command line and the staleness test that reruns it.</summary>
public static class KernelShapeNames
{
    /// <summary>Every name, <c>auto</c> first.</summary>
    public static IReadOnlyList<string> All { get; } = ["auto", "fsm", "pipeline", "comb"];

    /// <summary>The shape of a name of <see cref="All"/>; anything else is <see cref="KernelShape.Auto"/>.</summary>
    public static KernelShape Parse(string name) => name switch
    {
        "fsm" => KernelShape.StateMachine,
        "pipeline" => KernelShape.Pipeline,
        "comb" => KernelShape.Combinational,
        _ => KernelShape.Auto,
    };
}
