using System.Text;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Ir;

/// <summary>A kernel in IR: its interface, registers, memories and control-flow graph.</summary>
public sealed class IrFunction(KernelSignature signature, string sourceFile)
{
    /// <summary>The C# method's interface.</summary>
    public KernelSignature Signature { get; } = signature;

    /// <summary>The file the kernel came from (for comments).</summary>
    public string SourceFile { get; } = sourceFile;

    /// <summary>Every variable: parameters first in parameter order, then out and return, then locals.</summary>
    public List<IrVariable> Variables { get; } = [];

    /// <summary>Every memory: span parameters in parameter order, then stackallocs.</summary>
    public List<IrMemory> Memories { get; } = [];

    /// <summary>Blocks; the first is the entry.</summary>
    public List<IrBlock> Blocks { get; } = [];

    /// <summary>The return value's variable, when the method returns one.</summary>
    public IrVariable? ReturnValue { get; set; }

    /// <summary>The entry block.</summary>
    public IrBlock Entry => Blocks[0];

    /// <summary>The variable or memory of each parameter, by name.</summary>
    public Dictionary<string, object> ParameterBindings { get; } = [];

    /// <summary>
    /// <paramref name="stem"/>, or the first of <c>stem{separator}2</c>, <c>stem{separator}3</c>, ... that
    /// no variable of the function has: passes that add registers name them after what they hold.
    /// </summary>
    public string UniqueVariableName(string stem, string separator = "")
    {
        string name = stem;
        for (int n = 2; Variables.Any(v => v.Name == name); n++)
        {
            name = $"{stem}{separator}{n}";
        }

        return name;
    }

    /// <summary>Adds a local variable named after <paramref name="stem"/> (made unique) with the given type and storage.</summary>
    public IrVariable AddLocal(string stem, KernelValueType type, Storage storage)
    {
        var variable = new IrVariable(UniqueVariableName(stem), type, IrVariableKind.Local) { Storage = storage };
        Variables.Add(variable);
        return variable;
    }

    /// <summary>The memories some store of the function writes (the others hold what the caller gave, all along).</summary>
    public HashSet<IrMemory> StoredMemories() => [.. Blocks.SelectMany(b => b.Nodes).Where(n => n.Op == IrOp.Store).Select(n => n.Memory!)];

    /// <summary>Renumbers blocks and nodes densely (after passes removed some).</summary>
    public void Renumber()
    {
        int node = 0;
        for (int b = 0; b < Blocks.Count; b++)
        {
            Blocks[b].Id = b;
            foreach (IrNode n in Blocks[b].Nodes)
            {
                n.Id = node++;
            }
        }
    }

    /// <summary>A readable listing, for tests and <c>--dump-ir</c>.</summary>
    public string Dump()
    {
        Renumber();
        var text = new StringBuilder();
        text.AppendLine($"kernel {Signature.Name}");
        foreach (IrVariable v in Variables)
        {
            text.AppendLine($"  var {v.Name}: {v.Type.CSharpName} as {(v.Storage.Signed ? "s" : "u")}{v.Storage.Bits} ({v.Kind})");
        }

        foreach (IrMemory m in Memories)
        {
            text.AppendLine($"  mem {m.Name}: {m.ElementType.CSharpName}[{(m.IsPort ? "port" : m.Size.ToString(System.Globalization.CultureInfo.InvariantCulture))}]{(m.Writable ? " rw" : string.Empty)}");
        }

        foreach (IrBlock block in Blocks)
        {
            text.AppendLine($"b{block.Id}:  // {block.Origin}");
            foreach (IrNode n in block.Nodes)
            {
                text.AppendLine($"  {n}   // {(n.Storage.Signed ? "s" : "u")}{n.Storage.Bits}");
            }

            foreach ((IrVariable v, IrNode n) in block.Assignments)
            {
                text.AppendLine($"  {v} := n{n.Id}");
            }

            text.AppendLine(block.Terminator switch
            {
                IrTerminatorKind.Jump => $"  goto b{block.Target!.Id}",
                IrTerminatorKind.Branch => $"  if n{block.Condition!.Id} goto b{block.Target!.Id} else b{block.Else!.Id}",
                _ => "  return",
            });
        }

        return text.ToString();
    }
}
