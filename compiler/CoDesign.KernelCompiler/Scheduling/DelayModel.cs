using System.Globalization;
using CoDesign.KernelCompiler.Ir;
using CoDesign.KernelCompiler.Verilog;

namespace CoDesign.KernelCompiler.Scheduling;

/// <summary>
/// Combinational delay of each IR operation on an iCE40, for chaining operations within a clock
/// period. Measured with yosys and nextpnr by <c>hardware/synth/measure-delays.sh</c> into
/// <c>Ice40DelayModel.csv</c> (embedded); widths between measured ones are interpolated.
/// </summary>
public sealed class DelayModel
{
    private readonly Dictionary<string, SortedList<int, double>> table;

    private DelayModel(string device, Dictionary<string, SortedList<int, double>> table, double overhead)
    {
        Device = device;
        this.table = table;
        Overhead = overhead;
    }

    /// <summary>The device the numbers are for (<c>up5k</c>, <c>hx8k</c>).</summary>
    public string Device { get; }

    /// <summary>Register clock-to-out plus setup and routing of a bare register pair, in ns.</summary>
    public double Overhead { get; }

    /// <summary>The time in ns that a clock of <paramref name="clockMhz"/> leaves for logic between two registers.</summary>
    public double Period(double clockMhz) => (1000.0 / clockMhz) - Overhead;

    /// <summary>The measured model of <paramref name="device"/> (default UP5K, the iCEBreaker's).</summary>
    public static DelayModel For(string device = "up5k")
    {
        using Stream? stream = typeof(DelayModel).Assembly.GetManifestResourceStream("CoDesign.KernelCompiler.Scheduling.Ice40DelayModel.csv");
        var table = new Dictionary<string, SortedList<int, double>>(StringComparer.Ordinal);
        double overhead = 0;
        if (stream is not null)
        {
            using var reader = new StreamReader(stream);
            string? line = reader.ReadLine(); // header
            while ((line = reader.ReadLine()) is not null)
            {
                string[] cells = line.Split(',');
                if (cells.Length < 4 || cells[0] != device)
                {
                    continue;
                }

                double ns = double.Parse(cells[3], CultureInfo.InvariantCulture);
                if (cells[1] == "overhead")
                {
                    overhead = ns;
                    continue;
                }

                if (!table.TryGetValue(cells[1], out SortedList<int, double>? widths))
                {
                    widths = [];
                    table[cells[1]] = widths;
                }

                widths[int.Parse(cells[2], CultureInfo.InvariantCulture)] = ns;
            }
        }

        if (table.Count == 0)
        {
            throw new InvalidOperationException($"no delay measurements for device '{device}' in Ice40DelayModel.csv");
        }

        return new DelayModel(device, table, overhead);
    }

    /// <summary>Delay in ns of <paramref name="node"/> at its storage width; 0 for wires and registers.</summary>
    public double Delay(IrNode node)
    {
        int width = Math.Max(node.Storage.Bits, node.Inputs.Length > 0 ? node.Inputs.Max(i => i.Storage.Bits) : 1);
        return node.Op switch
        {
            IrOp.Const or IrOp.ReadVar or IrOp.Convert or IrOp.Load or IrOp.Store => 0,
            IrOp.Neg or IrOp.Sub => Lookup("sub", width),
            IrOp.Add => Lookup("add", width),
            IrOp.Not or IrOp.LogicalNot => 0,
            IrOp.And or IrOp.Or => Lookup("and", width),
            IrOp.Xor => Lookup("xor", width),
            IrOp.Eq or IrOp.Ne => Lookup("eq", width),
            IrOp.Lt or IrOp.Le or IrOp.Gt or IrOp.Ge => SplitComparison.Applies(node) ? Lookup("lt_split", width) : Lookup("lt", width),
            IrOp.Select => Lookup("mux", width),
            IrOp.Shl => node.Inputs[1].Op == IrOp.Const ? 0 : Lookup("shl_var", width),
            IrOp.Shr => node.Inputs[1].Op == IrOp.Const ? 0 : Lookup("shr_var", width),
            IrOp.Mul => MultiplyDelay(node, width),
            IrOp.Div => Lookup("div", width),
            IrOp.Rem => Lookup("rem", width),
            IrOp.PopCount => Lookup("add", 8) * Math.Ceiling(Math.Log2(Math.Max(2, node.Inputs[0].Type.Bits))),
            _ => 0,
        };
    }

    /// <summary>
    /// A LUT multiplier sums one partial product per bit of its narrower operand, then adds at the
    /// result's width: the measured square multiplier of that many rows (<c>mul</c> at width w is
    /// w x w bits to w), its final adder widened to the result. So 16 x 8 bits to 24 is 21.8 ns on
    /// the UP5K, not the 31.7 of 24 x 24.
    /// </summary>
    private double MultiplyDelay(IrNode node, int width)
    {
        int rows = Math.Clamp(Math.Min(node.Inputs[0].Storage.Bits, node.Inputs[1].Storage.Bits), 1, width);
        return rows == width ? Lookup("mul", width) : Lookup("mul", rows) - Lookup("add", rows) + Lookup("add", width);
    }

    private double Lookup(string op, int width)
    {
        if (!table.TryGetValue(op, out SortedList<int, double>? widths))
        {
            // Operations not measured (e.g. div above 32 bits) count as one full adder chain per bit.
            return Lookup("add", Math.Min(width, 64)) * width;
        }

        int below = widths.Keys.LastOrDefault(w => w <= width, widths.Keys[0]);
        int above = widths.Keys.FirstOrDefault(w => w >= width, widths.Keys[^1]);
        if (below == above)
        {
            return widths[below] * (width > above ? (double)width / above : 1);
        }

        double t = (double)(width - below) / (above - below);
        return widths[below] + (t * (widths[above] - widths[below]));
    }
}
