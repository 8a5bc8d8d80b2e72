using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Passes;

/// <summary>
/// A local table that one block fills whole with <c>T[k] = f(k)</c> (after unrolling: a store per
/// element, each the same expression of its index) and that is read elsewhere as <c>T[i]</c> is
/// replaced by <c>f(i)</c> at each read, and the table goes. On a CPU the table is the fast form
/// (<c>SparseMatVec</c> scales the 16 codebook values once per column, so each entry costs one add);
/// in hardware filling it costs a cycle per element through its one write port every time the
/// block runs, while computing <c>f(i)</c> where it is read costs the reads of <c>f</c>'s own memories.
/// </summary>
/// <remarks>
/// Sound when every read sees the contents of the filling block's last run: the block dominates
/// every read, no store to the table can run between that block and a read without passing the
/// block again, and <c>f</c> reads only memories that nothing writes. The values <c>f</c> takes from
/// the filling block (e.g. the activation it scales by) travel to the reads in fresh variables that
/// only that block assigns, so they are the values of the same run. Applied when the table has
/// fewer reads than elements, each read then costing one copy of <c>f</c>.
/// </remarks>
public sealed class TableRecomputation : IIrPass
{
    /// <inheritdoc/>
    public string Name => "table recomputation";

    /// <inheritdoc/>
    public bool Run(IrFunction function)
    {
        foreach (IrMemory table in function.Memories.Where(m => !m.IsPort && m.Size >= 2).ToList())
        {
            if (TryRecompute(function, table))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryRecompute(IrFunction function, IrMemory table)
    {
        var stores = function.Blocks.SelectMany(b => b.Nodes.Where(n => n.Op == IrOp.Store && n.Memory == table).Select(n => (Block: b, Node: n))).ToList();
        var loads = function.Blocks.SelectMany(b => b.Nodes.Where(n => n.Op == IrOp.Load && n.Memory == table).Select(n => (Block: b, Node: n))).ToList();
        if (loads.Count == 0 || loads.Count >= table.Size)
        {
            return false;
        }

        // The filling block: the one whose last store to each element is unguarded at a constant index.
        foreach (IrBlock fill in stores.Select(s => s.Block).Distinct())
        {
            Template? template = TemplateOf(function, fill, table);
            if (template is null || loads.Any(l => l.Block == fill) || !ReadsSeeTheFill(function, fill, table, loads.Select(l => l.Block)))
            {
                continue;
            }

            var inputs = new Dictionary<IrNode, IrVariable>();
            foreach (IrNode input in template.Inputs)
            {
                IrVariable v = function.AddLocal(table.Name + "_f", input.Type, input.Storage);
                fill.Assignments[v] = input;
                inputs[input] = v;
            }

            foreach ((IrBlock block, IrNode load) in loads)
            {
                var added = new List<IrNode>();
                IrNode value = template.Instantiate(load.Inputs[0], load.Guard, inputs, added);
                block.Nodes.InsertRange(block.Nodes.IndexOf(load), added);
                NodeRewriter.Replace(block, new Dictionary<IrNode, IrNode> { [load] = value });
                block.Nodes.Remove(load);
            }

            foreach (IrBlock block in function.Blocks)
            {
                block.Nodes.RemoveAll(n => n.Op == IrOp.Store && n.Memory == table);
            }

            function.Memories.Remove(table);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Whether every read in <paramref name="readers"/> runs after <paramref name="fill"/> with no
    /// store to the table in between: no block reachable from the fill without passing it again
    /// stores to the table, and the fill dominates every reader.
    /// </summary>
    private static bool ReadsSeeTheFill(IrFunction function, IrBlock fill, IrMemory table, IEnumerable<IrBlock> readers)
    {
        HashSet<IrBlock> after = BlockSurgery.Reachable(fill.Successors, stopAt: fill);
        if (after.Any(b => b.Nodes.Any(n => n.Op == IrOp.Store && n.Memory == table)))
        {
            return false;
        }

        HashSet<IrBlock> withoutFill = fill == function.Entry ? [] : BlockSurgery.Reachable([function.Entry], stopAt: fill);
        return readers.All(r => !withoutFill.Contains(r));
    }

    /// <summary>The expression every element of the table gets in <paramref name="fill"/>, or null when they differ by more than the index.</summary>
    private static Template? TemplateOf(IrFunction function, IrBlock fill, IrMemory table)
    {
        var last = new Dictionary<long, IrNode>();
        foreach (IrNode store in fill.Nodes.Where(n => n.Op == IrOp.Store && n.Memory == table))
        {
            if (store.Guard is not null || store.Inputs[0].Op != IrOp.Const)
            {
                return null;
            }

            last[store.Inputs[0].Constant] = store.Inputs[1];
        }

        if (last.Count != table.Size || Enumerable.Range(0, table.Size).Any(k => !last.ContainsKey(k)))
        {
            return null;
        }

        HashSet<IrMemory> written = function.StoredMemories();
        var template = new Template(last[1], table.Name);
        for (int k = 0; k < table.Size; k++)
        {
            if (k != 1 && !template.Match(last[k], last[1], k, 1, written, table))
            {
                return null;
            }
        }

        return template;
    }

    /// <summary>
    /// The expression of element 1, read as a function of its index: a constant equal to the index
    /// (in every element) is the hole the read's index fills; a node every element shares, or a
    /// variable read, is an input from the filling block.
    /// </summary>
    private sealed class Template(IrNode root, string table)
    {
        private readonly Dictionary<IrNode, bool> constantIsHole = [];
        private readonly HashSet<IrNode> inputs = [];

        /// <summary>Nodes of the filling block the expression takes as they are.</summary>
        public IEnumerable<IrNode> Inputs => inputs;

        /// <summary>Whether <paramref name="a"/> (element <paramref name="k"/>) is <paramref name="b"/> (element <paramref name="m"/>) with the index changed.</summary>
        public bool Match(IrNode a, IrNode b, long k, long m, HashSet<IrMemory> written, IrMemory self)
        {
            if (a.Op == IrOp.Const && b.Op == IrOp.Const)
            {
                bool hole = a.Constant == k && b.Constant == m;
                if (!hole && a.Constant != b.Constant)
                {
                    return false;
                }

                return constantIsHole.TryAdd(b, hole) || constantIsHole[b] == hole;
            }

            if (a == b || (a.Op == IrOp.ReadVar && b.Op == IrOp.ReadVar && a.Variable == b.Variable))
            {
                if (constantIsHole.ContainsKey(b))
                {
                    return false;
                }

                inputs.Add(b);
                return true;
            }

            if (a.Op != b.Op || a.Op is IrOp.ReadVar or IrOp.Store || a.Type != b.Type || a.Variable != b.Variable || a.Memory != b.Memory
                || a.Inputs.Length != b.Inputs.Length || inputs.Contains(b))
            {
                return false;
            }

            if (a.Op == IrOp.Load && (a.Guard is not null || b.Guard is not null || a.Memory == self || written.Contains(a.Memory!)))
            {
                return false;
            }

            for (int i = 0; i < a.Inputs.Length; i++)
            {
                if (!Match(a.Inputs[i], b.Inputs[i], k, m, written, self))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A copy of the expression for index <paramref name="index"/>, its nodes appended to <paramref name="added"/> in order.</summary>
        public IrNode Instantiate(IrNode index, IrNode? guard, IReadOnlyDictionary<IrNode, IrVariable> variables, List<IrNode> added)
        {
            var copies = new Dictionary<IrNode, IrNode>();
            return Copy(root);

            IrNode Copy(IrNode node)
            {
                if (copies.TryGetValue(node, out IrNode? done))
                {
                    return done;
                }

                IrNode copy;
                if (constantIsHole.TryGetValue(node, out bool hole) && hole)
                {
                    copy = index.Type == node.Type ? index : Add(new IrNode(IrOp.Convert, node.Type, index) { Origin = node.Origin });
                }
                else if (variables.TryGetValue(node, out IrVariable? variable))
                {
                    copy = Add(new IrNode(IrOp.ReadVar, node.Type) { Variable = variable, Origin = node.Origin });
                }
                else
                {
                    IrNode[] operands = [.. node.Inputs.Select(Copy)];
                    copy = Add(new IrNode(node.Op, node.Type, operands) { Constant = node.Constant, Variable = node.Variable, Memory = node.Memory, Origin = node.Origin });
                    if (node.Op == IrOp.Load && guard is not null)
                    {
                        copy.SetGuard(guard);
                    }
                }

                copies[node] = copy;
                return copy;
            }

            IrNode Add(IrNode node)
            {
                added.Add(node);
                return node;
            }
        }

        public override string ToString() => $"{table}[i] = f(i) from n{root.Id}";
    }
}
