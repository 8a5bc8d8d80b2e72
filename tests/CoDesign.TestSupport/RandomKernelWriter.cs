using System.Text;

namespace CoDesign.TestSupport;

/// <summary>
/// Writes one random kernel for <see cref="RandomKernelGenerator"/>. Totality comes from the shapes it
/// writes, not from checks: every operand of a binary operator is cast to one common type (so no
/// ambiguous or lifted operators), divisors are variables tested against 0 (and -1 with the minimum),
/// span indexes are taken modulo a nonzero length or are loop indexes below it, loops count to a
/// constant or a span's length, and the body is <c>unchecked</c>.
/// </summary>
internal sealed class RandomKernelWriter(Random random, int maxStatements, int maxDepth)
{
    /// <summary>The generated method's name.</summary>
    public const string MethodName = "Run";

    private const int MaxNesting = 3;
    private static readonly string[] Arithmetic = ["+", "-", "*", "&", "|", "^"];
    private static readonly string[] Comparisons = ["==", "!=", "<", "<=", ">", ">="];

    private readonly List<List<Variable>> scopes = [];
    private readonly StringBuilder body = new();
    private int statementsLeft = maxStatements;
    private int names;
    private int loopDepth;
    private string? inputElement;
    private bool hasInput;
    private bool hasOutput;
    private string returnType = "int";

    private static IEnumerable<IntegerType> NotChar => IntegerType.All.Where(t => t.Name != "char");

    /// <summary>The file: usings, the class and its one method.</summary>
    public string Write(string className)
    {
        scopes.Add([]);
        var parameters = new List<string>();
        int scalars = 1 + random.Next(4);
        for (int i = 0; i < scalars; i++)
        {
            bool isBool = random.Next(8) == 0;
            IntegerType? type = isBool ? null : Pick(IntegerType.All);
            parameters.Add($"{type?.Name ?? "bool"} p{i}");
            Declare(new Variable($"p{i}", type, Assignable: true, Constant: false));
        }

        if (random.Next(2) == 0)
        {
            hasInput = true;
            inputElement = random.Next(2) == 0 ? "int" : "byte";
            parameters.Add($"ReadOnlySpan<{inputElement}> input");
        }

        if (random.Next(2) == 0)
        {
            hasOutput = true;
            parameters.Add("Span<int> output");
        }

        returnType = random.Next(10) == 0 ? "bool" : Pick(IntegerType.All).Name;
        while (statementsLeft > 0)
        {
            Statement(3, 0);
        }

        Line(3, $"return {ReturnValue()};");
        var file = new StringBuilder();
        file.Append("using System;\nusing System.Numerics;\n\nnamespace CoDesign.RandomKernels;\n\n");
        file.Append($"/// <summary>A random kernel of the subset.</summary>\npublic static class {className}\n{{\n");
        file.Append($"    /// <summary>Generated.</summary>\n    public static {returnType} {MethodName}({string.Join(", ", parameters)})\n    {{\n");
        file.Append("        unchecked\n        {\n").Append(body).Append("        }\n    }\n}\n");
        return file.ToString();
    }

    private string ReturnValue() => returnType == "bool" ? Bool(maxDepth) : $"({returnType})({Raw(maxDepth)})";

    private void Statement(int indent, int nesting)
    {
        statementsLeft--;
        bool canNest = nesting < MaxNesting && statementsLeft > 1;
        switch (random.Next(canNest ? 14 : 8))
        {
            case 0:
            case 1:
                Declaration(indent);
                break;
            case 2:
            case 3:
                Assignment(indent);
                break;
            case 4:
                Increment(indent);
                break;
            case 5:
                if (loopDepth > 0 && random.Next(2) == 0)
                {
                    Line(indent, $"if ({Bool(1)}) {(random.Next(2) == 0 ? "break" : "continue")};");
                }
                else
                {
                    Line(indent, $"if ({Bool(2)}) return {ReturnValue()};");
                }

                break;
            case 6:
                if (hasOutput)
                {
                    Line(indent, $"if (output.Length > 0) output[(int)((uint)({Raw(1)}) % (uint)output.Length)] {AssignOperator()} (int)({Raw(maxDepth)});");
                }
                else
                {
                    Declaration(indent);
                }

                break;
            case 7:
                ConstDeclaration(indent);
                break;
            case 8:
            case 9:
                If(indent, nesting);
                break;
            case 10:
            case 11:
                CountedFor(indent, nesting);
                break;
            case 12:
                SpanFor(indent, nesting);
                break;
            default:
                While(indent, nesting);
                break;
        }
    }

    private void Declaration(int indent)
    {
        string name = NewName("v");
        if (random.Next(8) == 0)
        {
            Line(indent, $"bool {name} = {Bool(maxDepth)};");
            Declare(new Variable(name, null, Assignable: true, Constant: false));
            return;
        }

        IntegerType type = Pick(IntegerType.All);
        Line(indent, $"{type.Name} {name} = ({type.Name})({Raw(maxDepth)});");
        Declare(new Variable(name, type, Assignable: true, Constant: false));
    }

    private void ConstDeclaration(int indent)
    {
        IntegerType type = Pick(NotChar);
        string name = NewName("k");
        Line(indent, $"const {type.Name} {name} = ({type.Name}){IntegerType.Literal(Value(type))};");
        Declare(new Variable(name, type, Assignable: false, Constant: true));
    }

    private void Assignment(int indent)
    {
        Variable? target = PickVariable(v => v.Assignable);
        if (target is null)
        {
            Declaration(indent);
            return;
        }

        if (target.Type is null)
        {
            Line(indent, $"{target.Name} = {Bool(maxDepth)};");
            return;
        }

        string name = target.Type.Name;
        string op = AssignOperator();
        string value = op is "<<=" or ">>=" ? $"(int)({Raw(maxDepth)})" : $"({name})({Raw(maxDepth)})";
        Line(indent, $"{target.Name} {op} {value};");
    }

    private string AssignOperator() => random.Next(10) switch
    {
        < 4 => "=",
        4 => "+=",
        5 => "-=",
        6 => "*=",
        7 => Pick(["&=", "|=", "^="]),
        8 => "<<=",
        _ => ">>=",
    };

    private void Increment(int indent)
    {
        Variable? target = PickVariable(v => v.Assignable && v.Type is not null);
        if (target is null)
        {
            Declaration(indent);
            return;
        }

        Line(indent, random.Next(4) switch
        {
            0 => $"{target.Name}++;",
            1 => $"{target.Name}--;",
            2 => $"++{target.Name};",
            _ => $"--{target.Name};",
        });
    }

    private void If(int indent, int nesting)
    {
        Line(indent, $"if ({Bool(maxDepth)})");
        Block(indent, nesting, null);
        if (random.Next(2) == 0 && statementsLeft > 0)
        {
            Line(indent, "else");
            Block(indent, nesting, null);
        }
    }

    private void CountedFor(int indent, int nesting)
    {
        string index = NewName("i");
        Line(indent, $"for (int {index} = 0; {index} < {1 + random.Next(8)}; {index}++)");
        Loop(indent, nesting, [new Variable(index, IntegerType.All[5], Assignable: false, Constant: false)]);
    }

    private void SpanFor(int indent, int nesting)
    {
        if (!hasInput && !hasOutput)
        {
            CountedFor(indent, nesting);
            return;
        }

        string index = NewName("i");
        var loopVariables = new List<Variable> { new(index, IntegerType.All[5], Assignable: false, Constant: false) };
        bool overInput = hasInput && (!hasOutput || random.Next(2) == 0);
        if (overInput)
        {
            Line(indent, $"for (int {index} = 0; {index} < input.Length; {index}++)");
            loopVariables.Add(new Variable($"input[{index}]", IntegerType.All.First(t => t.Name == inputElement), Assignable: false, Constant: false));
        }
        else
        {
            Line(indent, $"for (int {index} = 0; {index} < output.Length; {index}++)");
            loopVariables.Add(new Variable($"output[{index}]", IntegerType.All[5], Assignable: true, Constant: false));
        }

        Loop(indent, nesting, loopVariables);
    }

    private void While(int indent, int nesting)
    {
        // The counter goes up first, so that continue cannot skip it.
        string counter = NewName("w");
        int limit = 1 + random.Next(8);
        Line(indent, $"int {counter} = 0;");
        Declare(new Variable(counter, IntegerType.All[5], Assignable: false, Constant: false));
        if (random.Next(2) == 0)
        {
            Line(indent, $"while ({counter} < {limit})");
            Loop(indent, nesting, [], $"{counter}++;");
        }
        else
        {
            Line(indent, "do");
            Loop(indent, nesting, [], $"{counter}++;", $"while ({counter} < {limit} && {{0}});");
        }
    }

    private void Loop(int indent, int nesting, List<Variable> variables, string? first = null, string? doWhile = null)
    {
        loopDepth++;
        Block(indent, nesting, variables, first, doWhile);
        loopDepth--;
    }

    private void Block(int indent, int nesting, List<Variable>? variables, string? first = null, string? doWhile = null)
    {
        Line(indent, "{");
        scopes.Add(variables ?? []);
        if (first is not null)
        {
            Line(indent + 1, first);
        }

        int statements = 1 + random.Next(3);
        for (int i = 0; i < statements && statementsLeft > 0; i++)
        {
            Statement(indent + 1, nesting + 1);
        }

        scopes.RemoveAt(scopes.Count - 1);
        Line(indent, doWhile is null ? "}" : "} " + string.Format(System.Globalization.CultureInfo.InvariantCulture, doWhile, Bool(1)));
    }

    /// <summary>An expression of some integer type (the caller casts it).</summary>
    private string Raw(int depth)
    {
        if (depth <= 0)
        {
            return Leaf();
        }

        IntegerType u = Pick(IntegerType.All);
        switch (random.Next(16))
        {
            case 0:
            case 1:
                return Leaf();
            case 2:
            case 3:
            case 4:
                return $"({Operand(u, depth - 1)} {Pick(Arithmetic)} {Operand(u, depth - 1)})";
            case 5:
            case 6:
                return $"({Operand(u, depth - 1)} {(random.Next(2) == 0 ? "<<" : ">>")} (int)({Raw(depth - 1)}))";
            case 7:
                return u.Name == "ulong" ? $"(~{Operand(u, depth - 1)})" : $"({(random.Next(2) == 0 ? "-" : "~")}{Operand(u, depth - 1)})";
            case 8:
            case 9:
                return Division(u, depth);
            case 10:
                return $"({Bool(depth - 1)} ? {Operand(u, depth - 1)} : {Operand(u, depth - 1)})";
            case 11:
                IntegerType m = Pick(NotChar);
                return $"Math.{(random.Next(2) == 0 ? "Min" : "Max")}({Operand(m, depth - 1)}, {Operand(m, depth - 1)})";
            case 12:
                return $"BitOperations.PopCount(({(random.Next(2) == 0 ? "uint" : "ulong")})({Raw(depth - 1)}))";
            case 13:
                return $"({Bool(depth - 1)} ? 1 : 0)";
            default:
                return Element(depth);
        }
    }

    private string Operand(IntegerType type, int depth) => $"({type.Name})({Raw(depth)})";

    // a / b and a % b with b a variable (never a constant: dividing by constant zero does not compile),
    // falling back to a when b is 0, or -1 with a the minimum (which overflows and throws).
    private string Division(IntegerType u, int depth)
    {
        string op = random.Next(2) == 0 ? "/" : "%";
        string a = Operand(u, Math.Min(depth - 1, 1));
        string b = $"({u.Name})({VariableLeaf()})";
        string guard = u.Signed ? $"{b} == 0 || ({b} == -1 && {a} == {u.Name}.MinValue)" : $"{b} == 0";
        return $"({guard} ? {a} : {a} {op} {b})";
    }

    private string Element(int depth)
    {
        if (hasInput && (!hasOutput || random.Next(2) == 0))
        {
            return $"(input.Length > 0 ? (int)input[(int)((uint)({Raw(depth - 1)}) % (uint)input.Length)] : {IntegerType.Literal(Value(IntegerType.All[5]))})";
        }

        if (hasOutput)
        {
            return $"(output.Length > 0 ? output[(int)((uint)({Raw(depth - 1)}) % (uint)output.Length)] : output.Length)";
        }

        return Leaf();
    }

    private string Leaf()
    {
        int choice = random.Next(10);
        if (choice < 6)
        {
            return VariableLeaf();
        }

        if (choice == 6 && (hasInput || hasOutput))
        {
            return hasInput && (!hasOutput || random.Next(2) == 0) ? "input.Length" : "output.Length";
        }

        Variable? constant = choice == 7 ? PickVariable(v => v.Constant) : null;
        if (constant is not null)
        {
            return constant.Name;
        }

        IntegerType type = Pick(IntegerType.All);
        return type.Name == "int" ? IntegerType.Literal(Value(type)) : $"({type.Name}){IntegerType.Literal(Value(type))}";
    }

    // A variable of an integer type that is not a constant (bools read as 0 or 1).
    private string VariableLeaf()
    {
        Variable? variable = PickVariable(v => !v.Constant && v.Type is not null && random.Next(4) != 0)
            ?? PickVariable(v => !v.Constant && v.Type is not null);
        if (variable is not null)
        {
            return variable.Name;
        }

        Variable flag = PickVariable(v => v.Type is null)!;
        return $"({flag.Name} ? 1 : 0)";
    }

    /// <summary>A bool expression.</summary>
    private string Bool(int depth)
    {
        int choice = depth <= 0 ? random.Next(3) : random.Next(10);
        switch (choice)
        {
            case 0:
                Variable? flag = PickVariable(v => v.Type is null);
                return flag?.Name ?? Comparison(0);
            case 1:
            case 2:
            case 3:
                return Comparison(depth <= 0 ? 0 : depth - 1);
            case 4:
            case 5:
                return Pattern(depth - 1);
            case 6:
                return $"!({Bool(depth - 1)})";
            case 7:
                return $"({Bool(depth - 1)} && {Bool(depth - 1)})";
            case 8:
                return $"({Bool(depth - 1)} || {Bool(depth - 1)})";
            default:
                return $"({Comparison(depth - 1)} {(random.Next(2) == 0 ? "&&" : "||")} {Pattern(depth - 1)})";
        }
    }

    private string Comparison(int depth)
    {
        IntegerType u = Pick(IntegerType.All);
        return $"({Operand(u, depth)} {Pick(Comparisons)} {Operand(u, depth)})";
    }

    // The subject holds a variable, and no pattern can never (or always) match: the compiler rejects some of those.
    private string Pattern(int depth)
    {
        IntegerType u = Pick(NotChar);
        string subject = random.Next(2) == 0
            ? $"({u.Name})({VariableLeaf()})"
            : $"({u.Name})(({u.Name})({Raw(Math.Max(depth, 0))}) ^ ({u.Name})({VariableLeaf()}))";
        Int128 a = Value(u);
        Int128 b = Value(u);
        string pattern = random.Next(6) switch
        {
            0 => IntegerType.Literal(a),
            1 => "not " + IntegerType.Literal(a),
            2 when a != b => $"{IntegerType.Literal(a)} or {IntegerType.Literal(b)}",
            3 => Relational(u, a),
            4 when a != b && !(Int128.Min(a, b) == u.Min && Int128.Max(a, b) == u.Max) =>
                $">= {IntegerType.Literal(Int128.Min(a, b))} and <= {IntegerType.Literal(Int128.Max(a, b))}",
            5 when Int128.Abs(a - b) >= 2 && !(Int128.Min(a, b) == u.Min && Int128.Max(a, b) == u.Max) =>
                $"not (> {IntegerType.Literal(Int128.Min(a, b))} and < {IntegerType.Literal(Int128.Max(a, b))})",
            _ => Relational(u, a),
        };
        return $"({subject} is {pattern})";
    }

    private string Relational(IntegerType u, Int128 c)
    {
        string op = Pick(["<", "<=", ">", ">="]);
        op = (op, c == u.Min, c == u.Max) switch
        {
            ("<", true, _) => ">",
            (">=", true, _) => ">",
            (">", _, true) => "<",
            ("<=", _, true) => "<",
            _ => op,
        };
        return $"{op} {IntegerType.Literal(c)}";
    }

    /// <summary>A value of the type: half edges (0, 1, -1, min, max, powers of two and neighbours), half uniform.</summary>
    private Int128 Value(IntegerType type)
    {
        int power = random.Next(type.Bits);
        ulong pattern = random.Next(2) == 0
            ? (ulong)random.NextInt64() ^ ((ulong)random.NextInt64() << 1)
            : random.Next(8) switch
            {
                0 => 0,
                1 => 1,
                2 => ulong.MaxValue,
                3 => 1UL << (type.Bits - 1),
                4 => (1UL << (type.Bits - 1)) - 1,
                5 => 1UL << power,
                6 => (1UL << power) - 1,
                _ => (1UL << power) + 1,
            };
        return type.FromPattern(pattern);
    }

    private Variable? PickVariable(Func<Variable, bool> filter)
    {
        var candidates = scopes.SelectMany(s => s).Where(filter).ToList();
        return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
    }

    private void Declare(Variable variable) => scopes[^1].Add(variable);

    private string NewName(string prefix) => $"{prefix}{names++}";

    private T Pick<T>(IEnumerable<T> items)
    {
        var list = items as IReadOnlyList<T> ?? [.. items];
        return list[random.Next(list.Count)];
    }

    private void Line(int indent, string text) => body.Append(' ', indent * 4).Append(text).Append('\n');

    /// <summary>A name in scope: a parameter, local, loop index or span element; <see cref="Type"/> null for bool.</summary>
    private sealed record Variable(string Name, IntegerType? Type, bool Assignable, bool Constant);
}
