namespace CoDesign.KernelCompiler.Ir;

/// <summary>What an IR node computes. Arithmetic follows C#'s unchecked semantics in the node's type.</summary>
public enum IrOp
{
    /// <summary>A constant (<see cref="IrNode.Constant"/>).</summary>
    Const,

    /// <summary>A variable's value when its block starts (the variable's register).</summary>
    ReadVar,

    /// <summary>Two's-complement negation.</summary>
    Neg,

    /// <summary>Bitwise complement.</summary>
    Not,

    /// <summary>Boolean negation.</summary>
    LogicalNot,

    /// <summary>Number of one bits of the value in its type's width.</summary>
    PopCount,

    /// <summary>Addition, wrapping.</summary>
    Add,

    /// <summary>Subtraction, wrapping.</summary>
    Sub,

    /// <summary>Multiplication, wrapping.</summary>
    Mul,

    /// <summary>Division truncating toward zero (undefined for a zero divisor, as hardware has no exception).</summary>
    Div,

    /// <summary>Remainder with the dividend's sign.</summary>
    Rem,

    /// <summary>Bitwise and.</summary>
    And,

    /// <summary>Bitwise or.</summary>
    Or,

    /// <summary>Bitwise exclusive or.</summary>
    Xor,

    /// <summary>Left shift; the count is masked to the type's width as C# does.</summary>
    Shl,

    /// <summary>Right shift, arithmetic for signed types; the count is masked as C# does.</summary>
    Shr,

    /// <summary>Equal.</summary>
    Eq,

    /// <summary>Not equal.</summary>
    Ne,

    /// <summary>Less than (signedness from the operands' type).</summary>
    Lt,

    /// <summary>Less than or equal.</summary>
    Le,

    /// <summary>Greater than.</summary>
    Gt,

    /// <summary>Greater than or equal.</summary>
    Ge,

    /// <summary>C# conversion to the node's type: keep the low bits, extend by the source's sign.</summary>
    Convert,

    /// <summary><c>c ? a : b</c> with both arms computed.</summary>
    Select,

    /// <summary>Reads element <c>Inputs[0]</c> of a memory (one cycle later on hardware); an optional <c>Inputs[1]</c> is its guard (<see cref="IrNode.Guard"/>).</summary>
    Load,

    /// <summary>Writes <c>Inputs[1]</c> to element <c>Inputs[0]</c> of a memory; an optional <c>Inputs[2]</c> is its guard (<see cref="IrNode.Guard"/>).</summary>
    Store,
}
