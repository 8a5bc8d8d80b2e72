using System.Text;
using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Scheduling;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Verilog;

/// <summary>
/// Writes a one-block kernel without memories as a pipeline: stage k computes the nodes of step k
/// and registers what later stages need, so a new input can enter every cycle. One step is pure
/// combinational logic (no clock). Ports: <c>in_valid</c>/<c>out_valid</c> (pipelines only), the
/// scalar parameters as inputs, the out parameters and <c>result</c> as outputs.
/// </summary>
public sealed class PipelineEmitter
{
    private readonly IrFunction function;
    private readonly BlockSchedule schedule;
    private readonly int steps;
    private readonly bool tag;
    private readonly bool stall;
    private readonly StringBuilder text = new();

    // Values that cross stage boundaries: the stage each is computed in and the last stage that reads it.
    private readonly Dictionary<string, (int From, int To, int Bits)> delayed = new(StringComparer.Ordinal);

    private PipelineEmitter(IrFunction function, BlockSchedule schedule, int steps, bool tag, bool stall)
    {
        this.function = function;
        this.schedule = schedule;
        this.steps = steps;
        this.tag = tag;
        this.stall = stall;
    }

    /// <summary>True when <paramref name="function"/> can be a pipeline: one block, no memory, reads only its parameters.</summary>
    public static bool Fits(IrFunction function) =>
        function.Blocks.Count == 1 && function.Memories.Count == 0
        && function.Entry.Terminator == IrTerminatorKind.Return
        && function.Entry.Nodes.All(n => n.Op != IrOp.ReadVar || n.Variable!.Kind == IrVariableKind.Parameter);

    /// <summary>
    /// The module text; <paramref name="steps"/> is 1 for combinational logic. With <paramref name="tag"/>
    /// a pipeline also gets <c>in_tag</c>/<c>out_tag</c> (parameter <c>TAG_BITS</c>) and <c>busy</c>; with
    /// <paramref name="stall"/> a <c>stall</c> input that holds every stage (<see cref="CompileOptions.Stall"/>).
    /// </summary>
    public static string Emit(IrFunction function, BlockSchedule schedule, int steps, string header, bool tag = false, bool stall = false)
    {
        if (tag && steps < 2)
        {
            throw new ArgumentException("only a pipeline of two or more stages carries a tag", nameof(tag));
        }

        if (stall && steps < 2)
        {
            throw new ArgumentException("only a pipeline of two or more stages can stall", nameof(stall));
        }

        return new PipelineEmitter(function, schedule, steps, tag, stall).Write(header);
    }

    private int StepOf(IrNode node) => steps == 1 || node.Op is IrOp.ReadVar or IrOp.Const ? 0 : schedule.Step[node];

    private string Write(string header)
    {
        IrBlock block = function.Entry;
        foreach (string line in header.Split('\n'))
        {
            text.AppendLine(line.Length == 0 ? "//" : "// " + line);
        }

        text.AppendLine("`default_nettype none");
        text.AppendLine();

        // Ports keep their C# widths and values the widths their operations need; synthesis drops
        // the bits nothing reads.
        text.AppendLine("/* verilator lint_off UNUSEDSIGNAL */");
        if (tag)
        {
            text.AppendLine($"module {VerilogNames.Module(function.Signature.Name)} #(");
            text.AppendLine("    parameter TAG_BITS = 1   // side information that travels with each input");
            text.AppendLine(") (");
        }
        else
        {
            text.AppendLine($"module {VerilogNames.Module(function.Signature.Name)} (");
        }

        var ports = new List<string>();
        if (steps > 1)
        {
            ports.AddRange(["input  wire clk", "input  wire rst", "input  wire in_valid   // the inputs are there this cycle", $"output wire out_valid   // the outputs of the inputs {steps - 1} cycles ago"]);
        }

        if (stall)
        {
            ports.Add($"input  wire stall   // high: every stage holds (the inputs are not taken, the outputs stay); {steps - 1} cycles means {steps - 1} with stall low");
        }

        if (tag)
        {
            ports.AddRange(["input  wire [TAG_BITS-1:0] in_tag   // enters with the inputs", "output wire [TAG_BITS-1:0] out_tag   // leaves with their outputs", "output wire busy   // an input is inside the pipeline"]);
        }

        foreach (KernelParameter p in function.Signature.Parameters)
        {
            string direction = p.Kind == KernelParameterKind.Out ? "output wire" : "input  wire";
            ports.Add($"{direction} [{p.Type.Bits - 1}:0] {VerilogNames.Scalar(p.Name)}   // {(p.Kind == KernelParameterKind.Out ? "out " : string.Empty)}{p.Type.CSharpName} {p.Name}");
        }

        if (function.Signature.Return is KernelValueType returnType)
        {
            ports.Add($"output wire [{returnType.Bits - 1}:0] {VerilogNames.Result}   // return value ({returnType.CSharpName})");
        }

        for (int i = 0; i < ports.Count; i++)
        {
            int comment = ports[i].IndexOf("//", StringComparison.Ordinal);
            string declaration = comment < 0 ? ports[i] : ports[i][..comment].TrimEnd();
            string remark = comment < 0 ? string.Empty : "   " + ports[i][comment..];
            text.AppendLine($"    {declaration}{(i + 1 < ports.Count ? "," : string.Empty)}{remark}");
        }

        text.AppendLine(");");
        var body = new StringBuilder();
        for (int step = 0; step < steps; step++)
        {
            if (steps > 1)
            {
                body.AppendLine($"    // ---- stage {step}");
            }

            foreach (IrNode node in block.Nodes.Where(n => n.Op is not (IrOp.Const or IrOp.ReadVar) && StepOf(n) == step))
            {
                body.AppendLine(NodeText.Declare(node, (input, width) => Fit(input, width, step)));
            }
        }

        body.AppendLine("    // ---- outputs");
        foreach ((IrVariable v, IrNode value) in block.Assignments)
        {
            string port = v.Kind == IrVariableKind.Return ? VerilogNames.Result : VerilogNames.Scalar(v.Name);
            if (v.Kind is IrVariableKind.Out or IrVariableKind.Return)
            {
                body.AppendLine($"    assign {port} = {Fit(value, v.Type.Bits, steps - 1)};");
            }
        }

        if (delayed.Count > 0 || steps > 1)
        {
            text.AppendLine($"    // ---- pipeline registers: values that later stages read");
            foreach ((string name, (int from, int to, int bits)) in delayed.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                for (int stage = from + 1; stage <= to; stage++)
                {
                    text.AppendLine($"    reg [{bits - 1}:0] {name}_s{stage};");
                }
            }

            text.AppendLine($"    reg [{steps - 2}:0] valid;");
            text.AppendLine($"    assign out_valid = valid[{steps - 2}];");
            if (tag)
            {
                // The tag needs no reset: `valid` says when it counts.
                for (int stage = 1; stage < steps; stage++)
                {
                    text.AppendLine($"    reg [TAG_BITS-1:0] tag_s{stage};");
                }

                text.AppendLine($"    assign out_tag = tag_s{steps - 1};");
                text.AppendLine("    assign busy = |valid;");
            }

            // The body runs in reset too (it clears the valid bits), so a stall holds it unless in reset.
            text.AppendLine(stall ? "    always @(posedge clk) if (rst || !stall) begin" : "    always @(posedge clk) begin");
            text.AppendLine($"        valid <= rst ? {steps - 1}'d0 : {(steps == 2 ? "in_valid" : $"{{valid[{steps - 3}:0], in_valid}}")};");
            for (int stage = 1; tag && stage < steps; stage++)
            {
                text.AppendLine($"        tag_s{stage} <= {(stage == 1 ? "in_tag" : $"tag_s{stage - 1}")};");
            }

            foreach ((string name, (int from, int to, int _)) in delayed.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                for (int stage = from + 1; stage <= to; stage++)
                {
                    text.AppendLine($"        {name}_s{stage} <= {(stage == from + 1 ? name : $"{name}_s{stage - 1}")};");
                }
            }

            text.AppendLine("    end");
        }

        text.Append(body);
        text.AppendLine("endmodule");
        text.AppendLine("/* verilator lint_on UNUSEDSIGNAL */");
        text.AppendLine();
        text.AppendLine("`default_nettype wire");
        return text.ToString();
    }

    /// <summary>A node's value in stage <paramref name="step"/> as <paramref name="width"/> bits (registered when computed in an earlier stage).</summary>
    private string Fit(IrNode node, int width, int step)
    {
        if (node.Op == IrOp.Const)
        {
            return NodeText.Literal(node.Constant, width, node.Type.Signed);
        }

        string name;
        int bits;
        bool signed;
        if (node.Op == IrOp.ReadVar)
        {
            // A parameter straight from its port, in its C# width.
            name = VerilogNames.Scalar(node.Variable!.Name);
            bits = node.Variable.Type.Bits;
            signed = node.Variable.Type.Signed;
        }
        else
        {
            name = $"n{node.Id}";
            bits = node.Storage.Bits;
            signed = node.Storage.Signed;
        }

        int from = StepOf(node);
        if (step > from)
        {
            delayed[name] = delayed.TryGetValue(name, out var known) ? (from, Math.Max(known.To, step), bits) : (from, step, bits);
            name = $"{name}_s{step}";
        }

        return NodeText.Resize(name, bits, signed, width);
    }
}
