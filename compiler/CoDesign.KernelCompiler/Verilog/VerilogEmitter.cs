using System.Text;
using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Scheduling;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Verilog;

/// <summary>
/// Writes a scheduled kernel as a Verilog-2005 module: a state machine with one state per block
/// step, a register per variable, a wire per operation named after its node and commented with the
/// C# it came from, and one read and one write port per memory. Values are plain bit vectors;
/// every operand is extended or cut to the width its operation needs, by its own signedness, so the
/// arithmetic is C#'s whatever widths narrowing chose.
/// </summary>
public sealed partial class VerilogEmitter
{
    private readonly IrFunction function;
    private readonly Dictionary<IrBlock, BlockSchedule> schedules;
    private readonly int addressBits;
    private readonly bool stall;
    private readonly StringBuilder text = new();
    private readonly Dictionary<IrVariable, string> registers = [];
    private readonly Dictionary<IrNode, IrBlock> blockOf = [];
    private readonly HashSet<IrNode> temps = [];
    private readonly HashSet<IrVariable> decisionFlags;

    private VerilogEmitter(IrFunction function, Dictionary<IrBlock, BlockSchedule> schedules, int addressBits, bool stall)
    {
        this.function = function;
        this.schedules = schedules;
        this.addressBits = addressBits;
        this.stall = stall;
        decisionFlags = DecisionFlags(function);
    }

    /// <summary>The module text; with <paramref name="stall"/> it has a <c>stall</c> input that holds every register (<see cref="CompileOptions.Stall"/>).</summary>
    public static string Emit(IrFunction function, Dictionary<IrBlock, BlockSchedule> schedules, int addressBits, string header, bool stall = false)
    {
        var emitter = new VerilogEmitter(function, schedules, addressBits, stall);
        return emitter.Write(header);
    }

    private string Write(string header)
    {
        function.Renumber();
        foreach (IrBlock block in function.Blocks)
        {
            foreach (IrNode node in block.Nodes)
            {
                blockOf[node] = block;
            }
        }

        NameRegisters();
        FindTemps();
        FindStageUses();
        string module = VerilogNames.Module(function.Signature.Name);
        int states = 1 + function.Blocks.Sum(b => schedules[b].States);
        int stateBits = Math.Max(1, (int)Math.Ceiling(Math.Log2(states)));

        foreach (string line in header.Split('\n'))
        {
            text.AppendLine(line.Length == 0 ? "//" : "// " + line);
        }

        text.AppendLine("`default_nettype none");
        text.AppendLine();

        // Ports keep their C# widths and values the widths their operations need; synthesis drops
        // the bits nothing reads.
        text.AppendLine("/* verilator lint_off UNUSEDSIGNAL */");
        text.AppendLine($"module {module} (");
        WritePorts();
        text.AppendLine(");");
        text.AppendLine($"    // ---- state machine: idle, then one state per step of each block ({states} states)");
        text.AppendLine($"    localparam [{stateBits - 1}:0] S_IDLE = {stateBits}'d0;");
        int code = 1;
        foreach (IrBlock block in function.Blocks)
        {
            for (int step = 0; step < schedules[block].States; step++)
            {
                text.AppendLine($"    localparam [{stateBits - 1}:0] {State(block, step)} = {stateBits}'d{code++};{(step == 0 ? $"   // {Comment(block.Origin)}" : string.Empty)}");
            }
        }

        text.AppendLine($"    reg [{stateBits - 1}:0] state;");
        text.AppendLine("    assign busy = state != S_IDLE;");
        text.AppendLine();
        WriteRegisters();
        WriteMemories();
        WriteBypassWires();
        WriteDatapath();
        WritePipelines();
        WriteMemoryPorts();
        WriteControl();
        text.AppendLine("endmodule");
        text.AppendLine("/* verilator lint_on UNUSEDSIGNAL */");
        text.AppendLine();
        text.AppendLine("`default_nettype wire");
        return text.ToString();
    }

    // ------------------------------------------------------------------ names

    private void NameRegisters()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (KernelParameter p in function.Signature.Parameters)
        {
            used.Add(VerilogNames.Scalar(p.Name));
        }

        foreach (IrVariable v in function.Variables.Where(v => v.Kind is IrVariableKind.Parameter or IrVariableKind.SpanLength))
        {
            used.Add(AtStartName(v));
        }

        foreach (IrVariable v in function.Variables)
        {
            string name = VerilogNames.Safe(v.Kind == IrVariableKind.Local ? v.Name : v.Name + "_q");
            string candidate = name;
            for (int n = 2; !used.Add(candidate); n++)
            {
                candidate = $"{name}_{n}";
            }

            registers[v] = candidate;
        }
    }

    private static string State(IrBlock block, int step) => $"S_B{block.Id}_{step}";

    /// <summary>True when the entry block runs in the cycle that takes <c>start</c> (<see cref="BlockSchedule.AtStart"/>).</summary>
    private bool EntryAtStart => schedules[function.Entry].AtStart;

    /// <summary>The port an input register latches at start.</summary>
    private string PortOf(IrVariable v) => v.Kind == IrVariableKind.Parameter ? VerilogNames.Scalar(v.Name) : VerilogNames.Length(v.LengthOf!.Name);

    /// <summary>The port's value as its register will hold it: what the entry block reads when it runs at start.</summary>
    private string AtStartName(IrVariable v) => PortOf(v) + "_at_start";

    /// <summary>An input register's port value, cut or extended to the register's bits.</summary>
    private string Latched(IrVariable v)
    {
        int portBits = v.Kind == IrVariableKind.Parameter ? v.Type.Bits : addressBits + 1;
        bool portSigned = v.Kind == IrVariableKind.Parameter && v.Type.Signed;
        return NodeText.Resize(PortOf(v), portBits, portSigned, v.Storage.Bits);
    }

    /// <summary>
    /// The state <paramref name="from"/>'s last step (<paramref name="step"/>) goes to for its successor
    /// <paramref name="to"/>: its first state, or for a threaded decision (no state of its own) the
    /// choice it makes, on the flag as <paramref name="from"/> sets it.
    /// </summary>
    private string Next(IrBlock from, IrBlock to, int step) => to.Threaded
        ? $"({Fit(from.Assignments[to.Condition!.Variable!], 1, step)} ? {State(to.Target!, 0)} : {State(to.Else!, 0)})"
        : State(to, 0);

    /// <summary>Nodes whose value is used after the step it is available in: they get a register.</summary>
    private void FindTemps()
    {
        foreach (IrBlock block in function.Blocks.Where(b => schedules[b].Pipeline is null))
        {
            BlockSchedule schedule = schedules[block];
            int last = schedule.Steps - 1;
            foreach (IrNode node in block.Nodes)
            {
                foreach (IrNode input in node.Inputs)
                {
                    NoteUse(schedule, input, schedule.Step[node]);
                }
            }

            foreach (IrNode node in block.Assignments.Values)
            {
                NoteUse(schedule, node, last);
            }

            if (block.Condition is not null)
            {
                NoteUse(schedule, block.Condition, last);
            }
        }
    }

    private void NoteUse(BlockSchedule schedule, IrNode node, int step)
    {
        if (node.Op is not (IrOp.Const or IrOp.ReadVar) && step > schedule.AvailableAt(node))
        {
            temps.Add(node);
        }
    }

    /// <summary>The Verilog name of <paramref name="node"/>'s value in step <paramref name="step"/> of its block.</summary>
    private string Ref(IrNode node, int step)
    {
        if (PipelineOf(blockOf[node]) is not null)
        {
            return PipelineRef(node, step);
        }

        switch (node.Op)
        {
            case IrOp.ReadVar:
                return EntryAtStart && blockOf[node] == function.Entry && node.Variable!.Kind is IrVariableKind.Parameter or IrVariableKind.SpanLength
                    ? AtStartName(node.Variable!)
                    : registers[node.Variable!];
            case IrOp.Load:
                int available = schedules[blockOf[node]].AvailableAt(node);
                return step == available ? ReadDataName(node.Memory!) : $"t{node.Id}";
            default:
                return step == schedules[blockOf[node]].Step[node] ? $"n{node.Id}" : $"t{node.Id}";
        }
    }

    private static string ReadDataName(IrMemory memory) => memory.IsPort ? VerilogNames.ReadData(memory.Name) : VerilogNames.Safe(memory.Name) + "_q";

    /// <summary>
    /// <paramref name="node"/>'s value as exactly <paramref name="width"/> bits: its C# value modulo
    /// 2^width (extended by its storage's sign, or cut).
    /// </summary>
    private string Fit(IrNode node, int width, int step)
    {
        if (node.Op == IrOp.Const)
        {
            return NodeText.Literal(node.Constant, width, node.Type.Signed);
        }

        return NodeText.Resize(Ref(node, step), node.Storage.Bits, node.Storage.Signed, width);
    }

    private static string Range(int bits) => $"[{bits - 1}:0]";

    private static string Comment(string origin) => origin.ReplaceLineEndings(" ");

    // ------------------------------------------------------------------ ports and storage

    private void WritePorts()
    {
        IReadOnlyList<KernelPort> ports = KernelPorts.Of(function, addressBits, stall);
        for (int i = 0; i < ports.Count; i++)
        {
            KernelPort port = ports[i];
            string remark = port.Remark.Length == 0 ? string.Empty : "   // " + port.Remark;
            text.AppendLine($"    {port.Declaration}{(i + 1 < ports.Count ? "," : string.Empty)}{remark}");
        }
    }

    /// <summary>
    /// Whether <paramref name="v"/> is only a threaded decision's flag: the state it decides is chosen
    /// from the value being assigned (<see cref="Next"/>), so the flag needs no register.
    /// </summary>
    private bool OnlyDecides(IrVariable v) => decisionFlags.Contains(v);

    /// <summary>The variables that only threaded decisions read, each as its block's condition.</summary>
    private static HashSet<IrVariable> DecisionFlags(IrFunction function)
    {
        HashSet<IrNode> decisions = [.. function.Blocks.Where(b => b.Threaded).Select(b => b.Condition!)];
        return [.. function.Blocks.SelectMany(b => b.Nodes).Where(n => n.Op == IrOp.ReadVar).GroupBy(n => n.Variable!)
            .Where(reads => reads.All(decisions.Contains)).Select(reads => reads.Key)];
    }

    private void WriteRegisters()
    {
        // The variables start at 0, as an iCE40's flip-flops do after configuration: a register that then
        // only ever loads 0 (the high bits of a span length or of a value read from a narrower memory,
        // which the caller ties to 0) is a constant Yosys can drop.
        text.AppendLine("    // ---- registers: the C# variables (narrowed to the bits their values need), 0 at power-up" + (PrimedVariables().Any() ? " (a primed one: its constant)" : string.Empty));
        foreach (IrVariable v in function.Variables.Where(v => !OnlyDecides(v)))
        {
            string primed = Primed(v) is { } value ? $", {value} while idle" : string.Empty;
            text.AppendLine($"    reg {Range(v.Storage.Bits)} {registers[v]} = {Primed(v) ?? NodeText.Literal(0, v.Storage.Bits)};   // {v.Type.CSharpName} {v.Name}{(v.Kind == IrVariableKind.Local ? string.Empty : $" ({v.Kind.ToString().ToLowerInvariant()})")}{primed}");
        }

        foreach (IrNode t in temps.OrderBy(t => t.Id))
        {
            text.AppendLine($"    reg {Range(t.Storage.Bits)} t{t.Id} = {NodeText.Literal(0, t.Storage.Bits)};   // n{t.Id} kept for a later step");
        }

        WritePipelineRegisters();

        if (EntryAtStart)
        {
            // The entry block runs in the start cycle, before the registers hold the inputs: it reads the ports.
            foreach (IrVariable v in function.Variables.Where(v => v.Kind is IrVariableKind.Parameter or IrVariableKind.SpanLength)
                .Where(v => function.Entry.Nodes.Concat(function.Blocks.Where(b => schedules[b].StartsAtStart).SelectMany(b => b.Nodes))
                    .Any(n => n.Op == IrOp.ReadVar && n.Variable == v)))
            {
                text.AppendLine($"    wire {Range(v.Storage.Bits)} {AtStartName(v)} = {Latched(v)};   // {v.Name} in the start cycle");
            }
        }

        foreach (KernelParameter p in function.Signature.Parameters)
        {
            if (p.Kind == KernelParameterKind.Out)
            {
                IrVariable v = (IrVariable)function.ParameterBindings[p.Name];
                text.AppendLine($"    assign {VerilogNames.Scalar(p.Name)} = {NodeText.Resize(registers[v], v.Storage.Bits, v.Storage.Signed, p.Type.Bits)};");
            }
        }

        if (function.ReturnValue is IrVariable result)
        {
            text.AppendLine($"    assign {VerilogNames.Result} = {NodeText.Resize(registers[result], result.Storage.Bits, result.Storage.Signed, result.Type.Bits)};");
        }

        text.AppendLine();
    }

    private void WriteMemories()
    {
        foreach (IrMemory memory in function.Memories.Where(m => !m.IsPort))
        {
            string name = VerilogNames.Safe(memory.Name);
            int bits = memory.ElementStorage.Bits;
            int address = AddressBits(memory);
            text.AppendLine($"    // ---- {memory.ElementType.CSharpName}[{memory.Size}] {memory.Name} (stackalloc): block RAM or LUTs, one read and one write port");
            text.AppendLine($"    reg {Range(bits)} {name} [0:{memory.Size - 1}];");
            text.AppendLine($"    reg {Range(bits)} {name}_q;");
            text.AppendLine($"    reg {Range(address)} {name}_addr;");
            text.AppendLine($"    reg {name}_rd_en;");
            text.AppendLine($"    reg {Range(address)} {name}_wr_addr;");
            text.AppendLine($"    reg {name}_wr_en;");
            text.AppendLine($"    reg {Range(bits)} {name}_wr_data;");
            text.AppendLine("    always @(posedge clk) begin");
            text.AppendLine($"        if ({name}_rd_en{Unstalled}) {name}_q <= {name}[{name}_addr];");
            text.AppendLine($"        if ({name}_wr_en{Unstalled}) {name}[{name}_wr_addr] <= {name}_wr_data;");
            text.AppendLine("    end");
            text.AppendLine();
        }
    }

    /// <summary>The condition an access of the module's own memories adds under <see cref="stall"/>.</summary>
    private string Unstalled => stall ? " && !stall" : string.Empty;

    private int AddressBits(IrMemory memory) => memory.IsPort ? addressBits : Math.Max(1, (int)Math.Ceiling(Math.Log2(Math.Max(2, memory.Size))));

    // ------------------------------------------------------------------ datapath

    private void WriteDatapath()
    {
        foreach (IrBlock block in function.Blocks)
        {
            BlockSchedule schedule = schedules[block];
            string steps = block.Threaded ? "no state: decided in the last step of the block before it"
                : schedule.AtStart ? "no state: runs in the cycle that takes start"
                : $"{schedule.Steps} step{(schedule.Steps == 1 ? string.Empty : "s")}";
            text.AppendLine($"    // ---- block {block.Id}: {Comment(block.Origin)} ({steps})");
            foreach (IrNode node in block.Nodes.Where(n => n.Op is not (IrOp.Const or IrOp.ReadVar or IrOp.Load or IrOp.Store)))
            {
                int step = schedule.Step[node];
                text.AppendLine(NodeText.Declare(node, (input, width) => Fit(input, width, step)));
            }

            if (block == function.Entry)
            {
                WriteFirstIterationReads();
            }
        }

        text.AppendLine();
    }

    // ------------------------------------------------------------------ memory ports

    private void WriteMemoryPorts()
    {
        foreach (IrMemory memory in function.Memories)
        {
            string readAddress = memory.IsPort ? VerilogNames.ReadAddress(memory.Name) : VerilogNames.Safe(memory.Name) + "_addr";
            string readEnable = memory.IsPort ? VerilogNames.ReadEnable(memory.Name) : VerilogNames.Safe(memory.Name) + "_rd_en";
            string writeAddress = memory.IsPort ? VerilogNames.WriteAddress(memory.Name) : VerilogNames.Safe(memory.Name) + "_wr_addr";
            string writeEnable = memory.IsPort ? VerilogNames.WriteEnable(memory.Name) : VerilogNames.Safe(memory.Name) + "_wr_en";
            string writeData = memory.IsPort ? VerilogNames.WriteData(memory.Name) : VerilogNames.Safe(memory.Name) + "_wr_data";
            int address = AddressBits(memory);
            int element = memory.IsPort ? memory.ElementType.Bits : memory.ElementStorage.Bits;
            text.AppendLine($"    // ---- {memory.Name}: which state reads and writes it");
            text.AppendLine("    always @* begin");
            // An address means nothing while its enable is low, so it defaults to the last access's
            // address rather than to 0: that access then needs no gate on it, one fewer input to the
            // address's multiplexer (write data stays 0 while not writing, which callers may use).
            text.AppendLine($"        {readEnable} = 1'b0;");
            text.AppendLine($"        {readAddress} = {DefaultAddress(memory, IrOp.Load, address)};");
            if (memory.Writable)
            {
                text.AppendLine($"        {writeEnable} = 1'b0;");
                text.AppendLine($"        {writeAddress} = {DefaultAddress(memory, IrOp.Store, address)};");
                text.AppendLine($"        {writeData} = {NodeText.Literal(0, element)};");
            }

            text.AppendLine("        case (state)");
            foreach (IrBlock block in function.Blocks)
            {
                if (PipelineOf(block) is not null)
                {
                    WritePipelineAccesses(block, memory, readEnable, readAddress, writeEnable, writeAddress, writeData);
                    continue;
                }

                foreach (IGrouping<int, IrNode> step in block.Nodes.Where(n => n.IsMemoryAccess && n.Memory == memory).GroupBy(n => schedules[block].Step[n]))
                {
                    text.Append($"        {State(block, step.Key)}: begin");
                    foreach (IrNode access in step)
                    {
                        string at = Fit(access.Inputs[0], address, step.Key);
                        string effect = access.Op == IrOp.Load
                            ? $"{readEnable} = 1'b1; {readAddress} = {at};"
                            : $"{writeEnable} = 1'b1; {writeAddress} = {at}; {writeData} = {Fit(access.Inputs[1], element, step.Key)};";
                        text.Append(access.Guard is { } guard ? $" if ({Fit(guard, 1, step.Key)}) begin {effect} end" : $" {effect}");
                    }

                    text.AppendLine(" end");
                }
            }

            text.AppendLine("        default: ;");
            text.AppendLine("        endcase");
            text.AppendLine("    end");
            text.AppendLine();
        }
    }

    /// <summary>The address a port shows while it makes no access of kind <paramref name="op"/>: that of the last such access in the module, or 0 when it makes none.</summary>
    private string DefaultAddress(IrMemory memory, IrOp op, int address)
    {
        (IrBlock Block, IrNode Access)? last = function.Blocks
            .SelectMany(b => b.Nodes.Where(n => n.Op == op && n.Memory == memory).Select(n => ((IrBlock Block, IrNode Access)?)(b, n)))
            .LastOrDefault();
        return last is (IrBlock block, IrNode access) ? Fit(access.Inputs[0], address, schedules[block].Step[access]) : NodeText.Literal(0, address);
    }

    // ------------------------------------------------------------------ control

    private void WriteControl()
    {
        text.AppendLine("    // ---- control: each state's register updates and the next state");
        text.AppendLine("    always @(posedge clk) begin");
        text.AppendLine("        if (rst) begin");
        text.AppendLine("            state <= S_IDLE;");
        text.AppendLine("            done <= 1'b0;");
        foreach ((IrVariable v, string value) in PrimedVariables())
        {
            text.AppendLine($"            {registers[v]} <= {value};");
        }

        // Under a stall nothing changes, done included: a caller acts on done in a cycle with stall low.
        text.AppendLine(stall ? "        end else if (!stall) begin" : "        end else begin");
        text.AppendLine("            done <= 1'b0;");
        text.AppendLine("            case (state)");
        text.AppendLine("            S_IDLE: if (start) begin");
        foreach (IrVariable v in function.Variables.Where(v => v.Kind is IrVariableKind.Parameter or IrVariableKind.SpanLength))
        {
            text.AppendLine($"                {registers[v]} <= {Latched(v)};");
        }

        if (EntryAtStart)
        {
            text.AppendLine($"                // block {function.Entry.Id} runs now, on the ports");
            WriteEnd(function.Entry, 0);
            WriteFirstIterationAssignments();
        }
        else
        {
            text.AppendLine($"                state <= {State(function.Entry, 0)};");
        }

        text.AppendLine("            end");
        foreach (IrBlock block in function.Blocks)
        {
            BlockSchedule schedule = schedules[block];
            if (schedule.Pipeline is not null)
            {
                WritePipelineControl(block);
                continue;
            }

            for (int step = 0; step < schedule.Steps && !schedule.AtStart; step++)
            {
                text.AppendLine($"            {State(block, step)}: begin");
                foreach (IrNode t in temps.Where(t => blockOf[t] == block && schedule.AvailableAt(t) == step).OrderBy(t => t.Id))
                {
                    string source = t.Op == IrOp.Load ? ReadDataName(t.Memory!) : $"n{t.Id}";
                    text.AppendLine($"                t{t.Id} <= {source};");
                }

                if (step < schedule.Steps - 1)
                {
                    text.AppendLine($"                state <= {State(block, step + 1)};");
                }
                else
                {
                    WriteEnd(block, step);
                }

                text.AppendLine("            end");
            }
        }

        text.AppendLine("            default: state <= S_IDLE;");
        text.AppendLine("            endcase");
        WritePrimedRestore();
        text.AppendLine("        end");
        text.AppendLine("    end");
    }

    /// <summary>The end of <paramref name="block"/>'s last step (<paramref name="step"/>): its assignments and where it goes.</summary>
    private void WriteEnd(IrBlock block, int step, string indent = "                ")
    {
        // The entry leaves its primed variables alone: their registers hold the constants already.
        foreach ((IrVariable v, IrNode value) in block.Assignments.Where(a => !OnlyDecides(a.Key) && (block != function.Entry || Primed(a.Key) is null)))
        {
            text.AppendLine($"{indent}{registers[v]} <= {Fit(value, v.Storage.Bits, step)};");
        }


        text.AppendLine(block.Terminator switch
        {
            IrTerminatorKind.Jump => $"{indent}state <= {Next(block, block.Target!, step)};",
            IrTerminatorKind.Branch => $"{indent}state <= {Fit(block.Condition!, 1, step)} ? {Next(block, block.Target!, step)} : {Next(block, block.Else!, step)};",
            _ => $"{indent}state <= S_IDLE;\n{indent}done <= 1'b1;",
        });
    }
}
