using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// Replaces the reads of a local that only ever holds one constant (every assignment is that
/// constant, and no path reads it before one) by the constant itself, so the register goes and
/// constant folding sees through it: <c>ulong mask = (1UL &lt;&lt; bits) - 1</c> with a constant
/// <c>bits</c>, or the parameter of an inlined call that the caller passes a constant
/// (<c>WidthConverter.UnpackNibbles</c> calls the gearbox with fixed widths).
/// </summary>
public sealed class ConstantVariables : IIrPass
{
    /// <inheritdoc/>
    public string Name => "constant variables";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        var values = new Dictionary<IrVariable, long>();
        var varying = new HashSet<IrVariable>();
        foreach ((IrVariable v, IrNode value) in function.Blocks.SelectMany(b => b.Assignments))
        {
            if (value.Op != IrOp.Const || value.Type != v.Type || (values.TryGetValue(v, out long seen) && seen != value.Constant))
            {
                varying.Add(v);
            }
            else
            {
                values[v] = value.Constant;
            }
        }

        foreach (IrNode read in function.Blocks.SelectMany(b => b.Nodes).Where(n => n.Op == IrOp.ReadVar && n.Type != n.Variable!.Type))
        {
            varying.Add(read.Variable!);
        }

        var constant = values.Keys.Where(v => v.Kind == IrVariableKind.Local && v.PrefetchOf is null && !varying.Contains(v)).ToHashSet();
        if (constant.Count == 0)
        {
            return false;
        }

        // A variable read before its first assignment on some path holds its power-up value there.
        constant.ExceptWith(Liveness.LiveIn(function)[function.Entry]);
        if (constant.Count == 0)
        {
            return false;
        }

        foreach (IrBlock block in function.Blocks)
        {
            foreach (IrNode read in block.Nodes.Where(n => n.Op == IrOp.ReadVar && constant.Contains(n.Variable!)))
            {
                read.Constant = values[read.Variable!];
                read.Op = IrOp.Const;
                read.Variable = null;
            }

            foreach (IrVariable v in block.Assignments.Keys.Where(constant.Contains).ToList())
            {
                block.Assignments.Remove(v);
            }
        }

        return true;
    }
}
