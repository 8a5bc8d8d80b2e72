namespace CoDesign.KernelCompiler.Verilog;

/// <summary>
/// The names of a generated module's ports, which the test benches and the accelerator's top level
/// use too: <c>clk</c>, <c>rst</c>, <c>start</c>, <c>done</c>, <c>busy</c>; a scalar parameter <c>p</c>
/// is the input <c>p</c>; an out parameter <c>o</c> the output <c>o</c>; the return value the
/// output <c>result</c>; a span <c>s</c> the ports <c>s_length</c>, <c>s_addr</c>, <c>s_rd_en</c>,
/// <c>s_rd_data</c> and, when written, <c>s_wr_addr</c>, <c>s_wr_en</c>, <c>s_wr_data</c>.
/// </summary>
public static class VerilogNames
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "always", "and", "assign", "automatic", "begin", "buf", "case", "casex", "casez", "cell", "cmos", "config", "deassign",
        "default", "defparam", "design", "disable", "edge", "else", "end", "endcase", "endconfig", "endfunction", "endgenerate",
        "endmodule", "endprimitive", "endspecify", "endtable", "endtask", "event", "for", "force", "forever", "fork", "function",
        "generate", "genvar", "highz0", "highz1", "if", "ifnone", "incdir", "include", "initial", "inout", "input", "instance",
        "integer", "join", "large", "liblist", "library", "localparam", "macromodule", "medium", "module", "nand", "negedge",
        "nmos", "nor", "noshowcancelled", "not", "notif0", "notif1", "or", "output", "parameter", "pmos", "posedge", "primitive",
        "pull0", "pull1", "pulldown", "pullup", "pulsestyle_onevent", "pulsestyle_ondetect", "rcmos", "real", "realtime", "reg",
        "release", "repeat", "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1", "scalared", "showcancelled", "signed", "small",
        "specify", "specparam", "strong0", "strong1", "supply0", "supply1", "table", "task", "time", "tran", "tranif0", "tranif1",
        "tri", "tri0", "tri1", "triand", "trior", "trireg", "unsigned", "use", "uwire", "vectored", "wait", "wand", "weak0",
        "weak1", "while", "wire", "wor", "xnor", "xor", "bit", "logic", "byte", "int", "shortint", "longint", "string", "do",
        "break", "continue", "return", "void", "const", "static", "final", "type", "var", "ref", "class", "new", "this", "super",
        "clk", "rst", "start", "done", "busy", "state", "result",
    };

    /// <summary>A C# name made safe as a Verilog identifier (a reserved word gets a trailing underscore).</summary>
    public static string Safe(string name) => Reserved.Contains(name) ? name + "_" : name;

    /// <summary>The input port of scalar parameter <paramref name="parameter"/>.</summary>
    public static string Scalar(string parameter) => Safe(parameter);

    /// <summary>The length input of span <paramref name="span"/>.</summary>
    public static string Length(string span) => Safe(span) + "_length";

    /// <summary>The read address output of span <paramref name="span"/>.</summary>
    public static string ReadAddress(string span) => Safe(span) + "_addr";

    /// <summary>The read enable output.</summary>
    public static string ReadEnable(string span) => Safe(span) + "_rd_en";

    /// <summary>The read data input (valid the cycle after the address).</summary>
    public static string ReadData(string span) => Safe(span) + "_rd_data";

    /// <summary>The write address output.</summary>
    public static string WriteAddress(string span) => Safe(span) + "_wr_addr";

    /// <summary>The write enable output.</summary>
    public static string WriteEnable(string span) => Safe(span) + "_wr_en";

    /// <summary>The write data output.</summary>
    public static string WriteData(string span) => Safe(span) + "_wr_data";

    /// <summary>The return value's output.</summary>
    public const string Result = "result";

    /// <summary>The module name of kernel <c>Class.Method</c>: both in snake case, joined by an underscore.</summary>
    public static string Module(string kernel) => string.Join('_', kernel.Split('.').Select(Snake));

    /// <summary>
    /// A C# name in lower snake case: <c>UpdateByte</c> -> <c>update_byte</c>, <c>Crc32Init</c> ->
    /// <c>crc32_init</c>, <c>IOError</c> -> <c>io_error</c> (the one converter of module, register and constant names).
    /// </summary>
    public static string Snake(string name)
    {
        var snake = new System.Text.StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool boundary = i > 0 && char.IsUpper(c) && name[i - 1] != '_'
                && (!char.IsUpper(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (boundary)
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(c));
        }

        return snake.ToString();
    }
}
