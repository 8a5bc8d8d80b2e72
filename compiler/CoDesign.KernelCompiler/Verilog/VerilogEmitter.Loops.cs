using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Scheduling;

namespace CoDesign.KernelCompiler.Verilog;

/// <summary>
/// Pipelined loops: a loop block with a modulo schedule is one state in which iterations overlap.
/// Stage s of the loop is step s of some iteration; a valid bit per stage says whether one is there.
/// A value used in a later step than it is made travels through one register per step
/// (<c>n12_s3</c>: node 12 as seen by the iteration in step 3). Carried variables are written in
/// the step their value is made, memory accesses happen in their step when that stage is valid,
/// and a load that meets an earlier iteration's store in the same cycle takes its data from a bypass.
/// </summary>
public sealed partial class VerilogEmitter
{
    private readonly Dictionary<IrNode, int> lastUse = [];

    private LoopPipeline? PipelineOf(IrBlock block) => schedules[block].Pipeline;

    private static string Loop(IrBlock block) => $"loop{block.Id}";

    /// <summary>The step whose cycle first holds <paramref name="node"/>'s value in a pipelined loop (a load's: the cycle after its read).</summary>
    private int Home(IrNode node) => schedules[blockOf[node]].AvailableAt(node);

    /// <summary>A read of a variable the loop does not assign: its register holds still while the loop runs.</summary>
    private bool IsInvariant(IrNode node) => node.Op == IrOp.ReadVar && !blockOf[node].Assignments.ContainsKey(node.Variable!);

    /// <summary>
    /// In a loop whose first iteration runs in the start cycle (<see cref="BlockSchedule.StartsAtStart"/>),
    /// a read in step 0 of a variable the entry block assigns: the entry's value in that cycle, before
    /// its register holds it.
    /// </summary>
    private bool ReadsEntryValue(IrNode node, int step) =>
        node.Op == IrOp.ReadVar && step == 0 && schedules[blockOf[node]].StartsAtStart && StartValue(node.Variable!) is not null
        && (IsInvariant(node) || Home(node) == 0);

    /// <summary>
    /// What a variable holds in the start cycle as the entry block leaves it: its assigned value, an
    /// input's port, or null when its register already holds it (a primed variable, or one the entry
    /// leaves alone).
    /// </summary>
    private string? StartValue(IrVariable v) =>
        Primed(v) is not null ? null
        : function.Entry.Assignments.TryGetValue(v, out IrNode? value) ? Fit(value, v.Storage.Bits, 0)
        : v.Kind is IrVariableKind.Parameter or IrVariableKind.SpanLength ? AtStartName(v)
        : null;

    /// <summary>
    /// For a loop that starts at start, a local that the entry block sets to a constant: its register
    /// holds that constant whenever the module is idle (its value at power-up, set again by reset and by
    /// every return), so the start cycle reads the register and the entry need not write it. The
    /// constant as Verilog, or null for any other variable.
    /// </summary>
    private string? Primed(IrVariable v) =>
        v.Kind == IrVariableKind.Local && function.Blocks.Any(b => schedules[b].StartsAtStart)
        && function.Entry.Assignments.TryGetValue(v, out IrNode? value) && value.Op == IrOp.Const
            ? Fit(value, v.Storage.Bits, 0)
            : null;

    /// <summary>
    /// After the state machine's case: where a call returns after its loop ran, the primed variables
    /// take their constants again, last so that this wins over the step's own writes (reset sets them
    /// too). One condition for all of them lets synthesis use the flip-flops' synchronous set and reset.
    /// </summary>
    private void WritePrimedRestore()
    {
        List<(IrVariable Variable, string Value)> primed = [.. PrimedVariables()];
        if (primed.Count == 0)
        {
            return;
        }

        var returns = new List<string>();
        foreach (IrBlock block in function.Blocks.Where(b => !schedules[b].AtStart))
        {
            BlockSchedule schedule = schedules[block];
            if (schedule.Pipeline is not null && schedule.ExitInLastCycle)
            {
                returns.Add($"(state == {State(block, 0)} && {Loop(block)}_exit)");
            }
            else if (schedule.Pipeline is null && !block.Threaded && block.Terminator == IrTerminatorKind.Return)
            {
                returns.Add($"state == {State(block, schedule.Steps - 1)}");
            }
        }

        if (returns.Count == 0)
        {
            return;
        }

        text.AppendLine($"            if ({string.Join(" || ", returns)}) begin   // idle again: primed for the next start");
        foreach ((IrVariable v, string value) in primed)
        {
            text.AppendLine($"                {registers[v]} <= {value};");
        }

        text.AppendLine("            end");
    }

    /// <summary>The primed variables (<see cref="Primed"/>) with their constants.</summary>
    private IEnumerable<(IrVariable Variable, string Value)> PrimedVariables() =>
        function.Variables.Select(v => (v, Primed(v))).Where(p => p.Item2 is not null).Select(p => (p.v, p.Item2!));

    /// <summary>The wire with a variable's value for the first iteration's step 0 (<see cref="ReadsEntryValue"/>).</summary>
    private string FirstName(IrVariable v) => $"{registers[v]}_first";

    private string PipelineRef(IrNode node, int step)
    {
        if (ReadsEntryValue(node, step))
        {
            return FirstName(node.Variable!);
        }

        if (IsInvariant(node))
        {
            return registers[node.Variable!];
        }

        if (step != Home(node))
        {
            return $"n{node.Id}_s{step}";
        }

        return node.Op switch
        {
            IrOp.ReadVar when PipelineOf(blockOf[node])!.MemoryRegisters.Contains(node.Variable!) => $"{registers[node.Variable!]}_now",
            IrOp.ReadVar => registers[node.Variable!],
            IrOp.Load => PipelineOf(blockOf[node])!.Bypasses.Any(b => b.Load == node) ? $"n{node.Id}_q" : ReadDataName(node.Memory!),
            _ => $"n{node.Id}",
        };
    }

    /// <summary>The last step of its iteration in which each value of the pipelined loops is read.</summary>
    private void FindStageUses()
    {
        foreach (IrBlock block in function.Blocks.Where(b => PipelineOf(b) is not null))
        {
            BlockSchedule schedule = schedules[block];
            foreach (IrNode node in block.Nodes)
            {
                foreach (IrNode input in node.Inputs)
                {
                    NoteStageUse(input, schedule.Step[node]);
                }
            }

            NoteStageUse(block.Condition!, PipelineOf(block)!.InitiationInterval - 1);
        }
    }

    private void NoteStageUse(IrNode node, int step)
    {
        if (node.Op != IrOp.Const && !IsInvariant(node) && step > Home(node))
        {
            lastUse[node] = Math.Max(lastUse.GetValueOrDefault(node), step);
        }
    }

    private int AccessBits(IrMemory memory) => memory.IsPort ? memory.ElementType.Bits : memory.ElementStorage.Bits;

    /// <summary>Valid bits, stage registers and bypasses of each pipelined loop.</summary>
    private void WritePipelines()
    {
        foreach (IrBlock block in function.Blocks.Where(b => PipelineOf(b) is not null))
        {
            BlockSchedule schedule = schedules[block];
            LoopPipeline pipeline = PipelineOf(block)!;
            int steps = schedule.Steps;
            string loop = Loop(block);
            string state = State(block, 0);
            string go = Fit(block.Condition!, 1, pipeline.InitiationInterval - 1);
            string next = block.Target == block ? go : $"!{go}";
            text.AppendLine($"    // ---- block {block.Id} pipelined: a new iteration every {pipeline.InitiationInterval} cycle{(pipeline.InitiationInterval == 1 ? string.Empty : "s")}, {steps} steps each");
            text.AppendLine($"    reg {Range(steps)} {loop}_run;");
            // A loop that starts at start is entered only there, so it needs no `entering`.
            string stage0 = schedule.StartsAtStart
                ? $"(state == S_IDLE && start && {EntersFromStart(block)}) || (state == {state} && {loop}_run[0])"
                : $"(state == {state}) && ({loop}_entering || {loop}_run[0])";
            text.AppendLine($"    wire {Range(steps)} {loop}_stage = {(steps == 1 ? stage0 : $"{{{loop}_run[{steps - 1}:1], {stage0}}}")};   // stage s holds an iteration in its step s");
            text.AppendLine($"    wire {loop}_next = {loop}_stage[{pipeline.InitiationInterval - 1}] && {next};   // the loop test passed: another iteration starts");
            text.AppendLine($"    wire {loop}_exit = !{loop}_next{(steps == 1 ? string.Empty : $" && {loop}_stage[{steps - 2}:0] == {NodeText.Literal(0, steps - 1)}")};   // the last iteration is in its last step");
            // The body runs in reset too (it clears the valid bits), so a stall holds it unless in reset.
            text.AppendLine(stall ? "    always @(posedge clk) if (rst || !stall) begin" : "    always @(posedge clk) begin");
            if (!schedule.StartsAtStart)
            {
                text.AppendLine($"        {loop}_entering <= state != {state};");
            }

            text.AppendLine($"        {loop}_run <= rst ? {NodeText.Literal(0, steps)} : {(steps == 1 ? $"{loop}_next" : $"{{{loop}_stage[{steps - 2}:0], {loop}_next}}")};");
            foreach (IrNode node in block.Nodes.Where(lastUse.ContainsKey))
            {
                for (int step = Home(node) + 1; step <= lastUse[node]; step++)
                {
                    string source = step == Home(node) + 1 ? PipelineRef(node, Home(node)) : $"n{node.Id}_s{step - 1}";
                    text.AppendLine($"        n{node.Id}_s{step} <= {source};");
                }
            }

            foreach (IGrouping<IrNode, StoreBypass> bypass in pipeline.Bypasses.GroupBy(b => b.Load))
            {
                IrNode load = bypass.Key;
                int address = AddressBits(load.Memory!);
                string match = string.Join(" || ", bypass.Select(b => $"({AccessActive(block, b.Store)} && {Fit(b.Store.Inputs[0], address, schedule.Step[b.Store])} == {Fit(load.Inputs[0], address, schedule.Step[load])})"));
                string data = bypass.Skip(1).Aggregate(
                    Fit(bypass.First().Store.Inputs[1], AccessBits(load.Memory!), schedule.Step[bypass.First().Store]),
                    (other, b) => $"{AccessActive(block, b.Store)} ? {Fit(b.Store.Inputs[1], AccessBits(load.Memory!), schedule.Step[b.Store])} : {other}");
                text.AppendLine($"        n{load.Id}_fwd <= {match};");
                text.AppendLine($"        n{load.Id}_fwd_data <= {data};");
            }

            text.AppendLine("    end");
            text.AppendLine();
        }
    }

    /// <summary>Each bypassed load's data: the earlier iteration's store when it hit the same element in the cycle of the read.</summary>
    private void WriteBypassWires()
    {
        foreach (IrBlock block in function.Blocks.Where(b => PipelineOf(b) is not null))
        {
            foreach (IrNode load in PipelineOf(block)!.Bypasses.Select(b => b.Load).Distinct())
            {
                text.AppendLine($"    // {Comment(load.Origin)}: an earlier iteration wrote this element in the cycle of the read");
                text.AppendLine($"    wire {Range(AccessBits(load.Memory!))} n{load.Id}_q = n{load.Id}_fwd ? n{load.Id}_fwd_data : {ReadDataName(load.Memory!)};");
            }
        }
    }

    /// <summary>Declarations of the stage and bypass registers (before any use).</summary>
    private void WritePipelineRegisters()
    {
        foreach (IrBlock block in function.Blocks.Where(b => PipelineOf(b) is not null))
        {
            // Declared with the registers: a memory register's wire below may read it.
            if (!schedules[block].StartsAtStart)
            {
                text.AppendLine($"    reg {Loop(block)}_entering;   // the state was something else last cycle: the first iteration starts");
            }

            foreach (IrVariable v in PipelineOf(block)!.MemoryRegisters)
            {
                int bits = v.Storage.Bits;
                string data = AccessBits(v.PrefetchOf!) > bits ? $"{ReadDataName(v.PrefetchOf!)}[{bits - 1}:0]" : ReadDataName(v.PrefetchOf!);
                if (FilledLast(block, v))
                {
                    // The memory keeps its read data while not read, so it still holds the first value.
                    text.AppendLine($"    // {v.Name}, read a step ahead: the memory's read data is its register (the block before the loop");
                    text.AppendLine($"    // read the first value last, then each iteration the next one in the cycle before)");
                    text.AppendLine($"    wire {Range(bits)} {registers[v]}_now = {data};");
                    continue;
                }

                text.AppendLine($"    // {v.Name}, read a step ahead: the block before the loop read it for the first iteration; after that,");
                text.AppendLine($"    // the read data the previous iteration asked for in the cycle before is its register");
                text.AppendLine($"    wire {Range(bits)} {registers[v]}_now = {Loop(block)}_entering ? {registers[v]} : {data};");
            }

            foreach (IrNode node in block.Nodes.Where(lastUse.ContainsKey))
            {
                int bits = node.Storage.Bits;
                for (int step = Home(node) + 1; step <= lastUse[node]; step++)
                {
                    text.AppendLine($"    reg {Range(bits)} n{node.Id}_s{step};   // n{node.Id} in step {step} of its iteration");
                }
            }

            foreach (IrNode load in PipelineOf(block)!.Bypasses.Select(b => b.Load).Distinct())
            {
                text.AppendLine($"    reg n{load.Id}_fwd;");
                text.AppendLine($"    reg {Range(AccessBits(load.Memory!))} n{load.Id}_fwd_data;");
            }
        }
    }

    /// <summary>
    /// True when every block that enters <paramref name="loop"/> ends its accesses of
    /// <paramref name="variable"/>'s memory with the load it assigns to the variable: the read data
    /// then holds the first iteration's value when the loop starts.
    /// </summary>
    private bool FilledLast(IrBlock loop, IrVariable variable) =>
        function.Blocks.Where(b => b != loop && b.Successors.Contains(loop)).All(b =>
            b.Assignments.TryGetValue(variable, out IrNode? value)
            && value.Op == IrOp.Load && value.Guard is null && b.Nodes.LastOrDefault(n => n.IsMemoryAccess && n.Memory == variable.PrefetchOf) == value);

    /// <summary>The pipelined loop's memory accesses in its state, each when its stage is valid.</summary>
    private void WritePipelineAccesses(IrBlock block, IrMemory memory, string readEnable, string readAddress, string writeEnable, string writeAddress, string writeData)
    {
        List<IrNode> accesses = [.. block.Nodes.Where(n => n.IsMemoryAccess && n.Memory == memory)];
        if (accesses.Count == 0)
        {
            return;
        }

        text.Append($"        {(schedules[block].StartsAtStart ? "S_IDLE, " : string.Empty)}{State(block, 0)}: begin");
        foreach (IrNode access in accesses)
        {
            int step = schedules[block].Step[access];
            string at = Fit(access.Inputs[0], AddressBits(memory), step);
            text.Append(access.Op == IrOp.Load
                ? $" if ({AccessActive(block, access)}) begin {readEnable} = 1'b1; {readAddress} = {at}; end"
                : $" if ({AccessActive(block, access)}) begin {writeEnable} = 1'b1; {writeAddress} = {at}; {writeData} = {Fit(access.Inputs[1], AccessBits(memory), step)}; end");
        }

        text.AppendLine(" end");
    }

    /// <summary>True in the cycle a pipelined loop's access happens: its stage holds an iteration, and its guard (if any) holds.</summary>
    private string AccessActive(IrBlock block, IrNode access)
    {
        int step = schedules[block].Step[access];
        string stage = $"{Loop(block)}_stage[{step}]";
        return access.Guard is { } guard ? $"{stage} && {Fit(guard, 1, step)}" : stage;
    }

    /// <summary>The entry block's condition for going to <paramref name="loop"/> (1 for a jump), as the start cycle computes it.</summary>
    private string EntersFromStart(IrBlock loop)
    {
        IrBlock entry = function.Entry;
        if (entry.Terminator == IrTerminatorKind.Jump)
        {
            return "1'b1";
        }

        string condition = Fit(entry.Condition!, 1, 0);
        return entry.Target == loop ? condition : $"!{condition}";
    }

    /// <summary>
    /// The values the first iteration's step 0 reads of the variables the entry block assigns, when
    /// that step runs in the start cycle with the entry (written after the entry's wires).
    /// </summary>
    private void WriteFirstIterationReads()
    {
        foreach (IrBlock block in function.Blocks.Where(b => schedules[b].StartsAtStart))
        {
            IEnumerable<IrVariable> read = block.Nodes.Where(n => ReadsEntryValue(n, 0)).Select(n => n.Variable!).Distinct();
            foreach (IrVariable v in read)
            {
                text.AppendLine($"    wire {Range(v.Storage.Bits)} {FirstName(v)} = state == S_IDLE ? {StartValue(v)} : {registers[v]};   // {v.Name} as the first iteration reads it");
            }
        }
    }

    /// <summary>The start cycle's share of a loop that starts there: the first iteration's step-0 assignments, after the entry's.</summary>
    private void WriteFirstIterationAssignments()
    {
        foreach (IrBlock block in function.Blocks.Where(b => schedules[b].StartsAtStart))
        {
            text.AppendLine($"                // the first iteration of block {block.Id} starts now");
            foreach ((IrVariable v, IrNode value) in block.Assignments.Where(a => Home(a.Value) == 0))
            {
                text.AppendLine($"                if ({Loop(block)}_stage[0]) {registers[v]} <= {Fit(value, v.Storage.Bits, 0)};");
            }
        }
    }

    /// <summary>The pipelined loop's state: carried variables written in their step, and the exit once the last iteration drains.</summary>
    private void WritePipelineControl(IrBlock block)
    {
        text.AppendLine($"            {State(block, 0)}: begin");
        foreach ((IrVariable v, IrNode value) in block.Assignments)
        {
            text.AppendLine($"                if ({Loop(block)}_stage[{Home(value)}]) {registers[v]} <= {Fit(value, v.Storage.Bits, Home(value))};");
        }

        IrBlock exit = block.Target == block ? block.Else! : block.Target!;
        if (schedules[block].ExitInLastCycle)
        {
            // The return after the loop reads nothing the last step writes: it ends the call now.
            text.AppendLine($"                if ({Loop(block)}_exit) begin   // block {exit.Id} runs now");
            WriteEnd(exit, 0, "                    ");
            text.AppendLine("                end");
        }
        else
        {
            text.AppendLine($"                if ({Loop(block)}_exit) state <= {State(exit, 0)};");
        }
        text.AppendLine("            end");
    }
}
