using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Scheduling;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler;

/// <summary>A kernel compiled to Verilog: its IR, schedule and module text.</summary>
public sealed class CompiledKernel(IrFunction ir, Dictionary<IrBlock, BlockSchedule> schedules, string verilog, CompileOptions options, KernelShape shape)
{
    /// <summary>The optimized IR the Verilog was written from.</summary>
    public IrFunction Ir { get; } = ir;

    /// <summary>The schedule of each block.</summary>
    public IReadOnlyDictionary<IrBlock, BlockSchedule> Schedules { get; } = schedules;

    /// <summary>The Verilog-2005 module.</summary>
    public string Verilog { get; } = verilog;

    /// <summary>The options it was compiled with.</summary>
    public CompileOptions Options { get; } = options;

    /// <summary>What the module is: a state machine, a pipeline or combinational logic.</summary>
    public KernelShape Shape { get; } = shape;

    /// <summary>Cycles from a pipeline's input to its output (0 for combinational logic).</summary>
    public int Latency => Shape switch
    {
        KernelShape.Pipeline => Schedules[Ir.Entry].Steps - 1,
        _ => 0,
    };

    /// <summary>The kernel's interface.</summary>
    public KernelSignature Signature => Ir.Signature;

    /// <summary>The module's name.</summary>
    public string ModuleName => CoDesign.KernelCompiler.Verilog.VerilogNames.Module(Ir.Signature.Name);

    /// <summary>States of the module's state machine (idle included); stages of a pipeline.</summary>
    public int States => Shape switch
    {
        KernelShape.StateMachine => 1 + Schedules.Values.Sum(s => s.States),
        KernelShape.Pipeline => Schedules[Ir.Entry].Steps,
        _ => 1,
    };

    /// <summary>
    /// An interpreter of the IR that also counts the clock edges from the one that takes the inputs
    /// to the one after which the outputs are valid, from the schedule: the prediction the
    /// simulation must meet (a state machine: its states on the path plus the start; a pipeline:
    /// its latency; combinational logic: 0).
    /// </summary>
    /// <remarks>A pipelined loop costs its II per iteration and, when control leaves it, the rest of its last iteration's steps.</remarks>
    public IrInterpreter Predictor() => Shape == KernelShape.StateMachine
        ? new(Ir, block => Schedules[block].Cycles, fixedCycles: 1)
        {
            // A pipelined loop's drain; a return after it that runs in its last cycle takes back its own
            // cycle, and a loop whose first iteration starts in the start cycle is a cycle ahead.
            LeaveCycles = (block, next) => Schedules[block].Pipeline is { } pipeline
                ? Schedules[block].Steps - pipeline.InitiationInterval - (Schedules[block].ExitInLastCycle ? 1 : 0)
                : next is not null && Schedules[next].StartsAtStart ? -1 : 0,
        }
        : new(Ir, _ => 0, fixedCycles: Latency);
}
