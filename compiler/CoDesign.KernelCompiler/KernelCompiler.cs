using CoDesign.KernelCompiler.Frontend;
using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Passes;
using CoDesign.KernelCompiler.Scheduling;
using CoDesign.KernelCompiler.Verilog;
using Microsoft.CodeAnalysis;

namespace CoDesign.KernelCompiler;

/// <summary>
/// C# kernel -> IR -> optimized IR -> schedule -> Verilog. Throws <see cref="KernelCompileException"/>
/// with <c>FILE.cs(line,col): CDKnnnn: ...</c> diagnostics for code outside the hardware subset.
/// </summary>
public static class KernelCompiler
{
    /// <summary>The passes, in order; they run until none changes anything.</summary>
    public static IReadOnlyList<IIrPass> Passes { get; } =
    [
        new CfgSimplification(),
        new ConstantFolding(),
        new ConstantVariables(),
        new RangeFolding(),
        new DeadCodeElimination(),
        new LoopUnrolling(),
        new TableRecomputation(),
        new IfConversion(),
        new RedundantLoadElimination(),
        new TailDuplication(),
        new ExitHoisting(),
        new TailMerging(),
        new BranchMerging(),
        new InductionLookahead(),
        new RecurrenceReassociation(),
        new LoopFlattening(),
        new SelectFolding(),
        new StrengthReduction(),
        new MemoryBanking(),
    ];

    /// <summary>Compiles method <paramref name="method"/> (<c>Class.Method</c>) of <paramref name="source"/>.</summary>
    public static CompiledKernel Compile(KernelSource source, string method, CompileOptions? options = null) =>
        Compile(source, source.FindMethod(method), options);

    /// <summary>Compiles <paramref name="method"/> of <paramref name="source"/>.</summary>
    public static CompiledKernel Compile(KernelSource source, IMethodSymbol method, CompileOptions? options = null)
    {
        options ??= new CompileOptions();
        var delays = DelayModel.For(options.Device);
        IrFunction ir = Lower(source, method);
        if (options.Optimize)
        {
            Optimize(ir, options);
            new WidthNarrowing(options.AddressBits).Run(ir);
            // Combinational logic has no clock to split a multiply for.
            if (options.Shape != KernelShape.Combinational && new MultiplySplitting(delays, options.ClockMhz).Run(ir))
            {
                new WidthNarrowing(options.AddressBits).Run(ir);
                ir.Renumber();
            }

            if (options.ThreadBranches)
            {
                new BranchThreading(delays, options.ClockMhz).Run(ir);
            }
        }

        Dictionary<IrBlock, BlockSchedule> schedules = Scheduler.Schedule(ir, delays, options.ClockMhz, options.PipelineLoops);
        KernelShape shape = ShapeFor(ir, schedules, options, method);
        if (shape == KernelShape.StateMachine)
        {
            schedules[ir.Entry].AtStart = Scheduler.EntryRunsAtStart(ir, schedules[ir.Entry]);
            foreach (IrBlock loop in ir.Blocks)
            {
                schedules[loop].ExitInLastCycle = Scheduler.ExitRunsInLastCycle(schedules, loop);
                schedules[loop].StartsAtStart = Scheduler.LoopStartsAtStart(ir, schedules, loop, options.Stall);
            }
        }

        if (options.PipelineTag && shape != KernelShape.Pipeline)
        {
            throw new KernelCompileException(KernelSubset.KernelDiagnostic.At(
                method.Locations[0], "CDK0201", $"kernel '{method.Name}'", $"cannot take a tag: it compiles to {(shape == KernelShape.Combinational ? "combinational logic" : "a state machine")}, and only a pipeline carries one"));
        }

        if (options.Stall && shape == KernelShape.Combinational)
        {
            throw new KernelCompileException(KernelSubset.KernelDiagnostic.At(
                method.Locations[0], "CDK0202", $"kernel '{method.Name}'", "cannot take a stall input: it compiles to combinational logic, which has no register to hold (--shape pipeline or fsm gives it some)"));
        }

        string header = Header(ir, options, shape, schedules);
        string verilog = shape == KernelShape.StateMachine
            ? VerilogEmitter.Emit(ir, schedules, options.AddressBits, header, options.Stall)
            : PipelineEmitter.Emit(ir, schedules[ir.Entry], shape == KernelShape.Combinational ? 1 : schedules[ir.Entry].Steps, header, options.PipelineTag, options.Stall);
        return new CompiledKernel(ir, schedules, verilog, options, shape);
    }

    /// <summary>
    /// The comment at the top of the module: where it came from, how to make it again (the staleness
    /// test reruns that command), and its interface.
    /// </summary>
    private static string Header(IrFunction ir, CompileOptions options, KernelShape shape, Dictionary<IrBlock, BlockSchedule> schedules)
    {
        string command = options.Command ?? $"codesign kernel verilog {ir.SourceFile} --method {ir.Signature.Name} --clock-mhz {options.ClockMhz.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}";
        string interfaceText = shape switch
        {
            KernelShape.StateMachine =>
                $"A state machine of {1 + schedules.Values.Sum(s => s.States)} states for a {options.ClockMhz.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} MHz clock ({options.Device} delays). Pulse `start` while idle:\n" +
                "the scalar inputs and span lengths are latched; `done` pulses when the outputs and the span memories hold\n" +
                "the results. Each span is a memory outside the module, read with one cycle of latency (a read and a write\n" +
                "in the same cycle: the read returns the old value).",
            KernelShape.Pipeline =>
                $"A pipeline of {schedules[ir.Entry].Steps} stages for a {options.ClockMhz.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} MHz clock ({options.Device} delays): inputs with `in_valid` every cycle,\n" +
                $"outputs with `out_valid` {schedules[ir.Entry].Steps - 1} cycles later." +
                (options.PipelineTag ? "\n`in_tag` leaves as `out_tag` with its outputs; `busy` is high while an input is inside." : string.Empty),
            _ => "Combinational: the outputs follow the inputs, no clock.",
        };
        if (options.Stall)
        {
            interfaceText += "\nWhile `stall` is high every register holds and nothing is taken: cycles are counted with `stall` low." +
                (shape == KernelShape.StateMachine ? "\nA span port's access happens only in a cycle with `stall` low (the memory must gate its enables)." : string.Empty);
        }

        return $"Generated by the CoDesign kernel compiler from {ir.SourceFile}: {ir.Signature.Name}. Do not edit.\n" +
            $"Regenerate with: {command}\n" + interfaceText;
    }

    private static KernelShape ShapeFor(IrFunction ir, Dictionary<IrBlock, BlockSchedule> schedules, CompileOptions options, IMethodSymbol method)
    {
        bool fits = PipelineEmitter.Fits(ir);
        switch (options.Shape)
        {
            case KernelShape.Auto:
                return !fits ? KernelShape.StateMachine : schedules[ir.Entry].Steps == 1 ? KernelShape.Combinational : KernelShape.Pipeline;
            case KernelShape.Pipeline or KernelShape.Combinational when !fits:
                throw new KernelCompileException(KernelSubset.KernelDiagnostic.At(
                    method.Locations[0], "CDK0200", $"kernel '{method.Name}'", "cannot be a pipeline: after unrolling and if-conversion it still has loops, branches or memories"));
            case KernelShape.Pipeline when schedules[ir.Entry].Steps == 1:
                return KernelShape.Combinational;
            default:
                return options.Shape;
        }
    }

    /// <summary>The IR of a method straight from the front end (inlined, not optimized).</summary>
    public static IrFunction Lower(KernelSource source, IMethodSymbol method) => KernelLowering.Lower(source, method);

    /// <summary>
    /// Runs <see cref="Passes"/> until none changes anything; loop flattening tries its flat loops
    /// against <paramref name="options"/>' clock and device, or is left out when they say so.
    /// </summary>
    public static void Optimize(IrFunction ir, CompileOptions? options = null)
    {
        options ??= new CompileOptions();
        IIrPass[] passes = [.. Passes.Where(p => p is not LoopFlattening || options.Flatten)
            .Select(p => p switch
            {
                LoopFlattening => new LoopFlattening(DelayModel.For(options.Device), options.ClockMhz, options.AddressBits),
                IfConversion => new IfConversion(options.AddressBits),
                RangeFolding => new RangeFolding(options.AddressBits),
                _ => p,
            })];
        for (int round = 0; round < 100; round++)
        {
            bool changed = false;
            foreach (IIrPass pass in passes)
            {
                changed |= pass.Run(ir);
            }

            if (!changed)
            {
                break;
            }
        }

        ir.Renumber();
    }
}
