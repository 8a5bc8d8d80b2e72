using System.Numerics;
using CoDesign.KernelCompiler.Signature;

namespace CoDesign.KernelCompiler.Ir;

/// <summary>
/// What each operation means, on canonical 64-bit patterns: the one definition the interpreter and
/// constant folding share, and the one the Verilog must match.
/// </summary>
public static class IrSemantics
{
    /// <summary>
    /// Result of <paramref name="node"/>'s operation on operand values <paramref name="a"/> and
    /// <paramref name="b"/> (and <paramref name="c"/> for a select). Returns false for a division by
    /// zero, whose value hardware leaves undefined.
    /// </summary>
    public static bool TryEvaluate(IrNode node, long a, long b, long c, out long result)
    {
        KernelValueType type = node.Type;
        bool signed = type.Signed;
        int mask = type.Bits - 1;
        result = 0;
        switch (node.Op)
        {
            case IrOp.Neg: result = unchecked(-a); break;
            case IrOp.Not: result = ~a; break;
            case IrOp.LogicalNot: result = a == 0 ? 1 : 0; break;
            case IrOp.PopCount: result = BitOperations.PopCount(unchecked((ulong)node.Inputs[0].Type.Normalize(a)) & Ones(node.Inputs[0].Type.Bits)); break;
            case IrOp.Add: result = unchecked(a + b); break;
            case IrOp.Sub: result = unchecked(a - b); break;
            case IrOp.Mul: result = unchecked(a * b); break;
            case IrOp.Div or IrOp.Rem:
                if (b == 0)
                {
                    return false;
                }

                result = Divide(node.Op, signed, type.Bits, a, b);
                break;
            case IrOp.And: result = a & b; break;
            case IrOp.Or: result = a | b; break;
            case IrOp.Xor: result = a ^ b; break;
            case IrOp.Shl: result = a << (int)(b & mask); break;
            case IrOp.Shr:
                int count = (int)(b & mask);
                result = signed ? a >> count : (long)((ulong)a >> count);
                break;
            case IrOp.Eq: result = a == b ? 1 : 0; break;
            case IrOp.Ne: result = a != b ? 1 : 0; break;
            case IrOp.Lt or IrOp.Le or IrOp.Gt or IrOp.Ge:
                int order = node.Inputs[0].Type.Signed ? a.CompareTo(b) : ((ulong)a).CompareTo((ulong)b);
                result = node.Op switch
                {
                    IrOp.Lt => order < 0,
                    IrOp.Le => order <= 0,
                    IrOp.Gt => order > 0,
                    _ => order >= 0,
                } ? 1 : 0;
                break;
            case IrOp.Convert: result = a; break;
            case IrOp.Select: result = a != 0 ? b : c; break;
            default: throw new InvalidOperationException($"{node.Op} is not a pure operation");
        }

        result = type.Normalize(result);
        return true;
    }

    private static ulong Ones(int bits) => bits >= 64 ? ulong.MaxValue : (1UL << bits) - 1;

    private static long Divide(IrOp op, bool signed, int bits, long a, long b)
    {
        if (signed)
        {
            // long.MinValue / -1 throws in C#; hardware wraps, as the 32-bit case does here.
            if (b == -1)
            {
                return op == IrOp.Div ? unchecked(-a) : 0;
            }

            return op == IrOp.Div ? a / b : a % b;
        }

        ulong x = (ulong)a & Ones(bits);
        ulong y = (ulong)b & Ones(bits);
        return (long)(op == IrOp.Div ? x / y : x % y);
    }
}
