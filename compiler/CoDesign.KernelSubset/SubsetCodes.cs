namespace CoDesign.KernelSubset;

/// <summary>The codes of the hardware subset's rules (RULES.md lists them with examples).</summary>
public static class SubsetCodes
{
    /// <summary>The kernel method was not found, or its name is ambiguous (raised by the compiler).</summary>
    public const string MethodNotFound = "CDK0001";

    /// <summary>Heap allocation: <c>new</c>, non-empty collection expressions, lambdas, boxing, string building.</summary>
    public const string Allocation = "CDK0100";

    /// <summary><c>throw</c> and <c>try</c>/<c>catch</c>/<c>finally</c>.</summary>
    public const string Exceptions = "CDK0101";

    /// <summary>Direct or mutual recursion through source methods.</summary>
    public const string Recursion = "CDK0102";

    /// <summary><c>float</c>, <c>double</c> or <c>decimal</c> anywhere.</summary>
    public const string FloatingPoint = "CDK0103";

    /// <summary>Instance, virtual and interface calls that are not intrinsics.</summary>
    public const string InstanceCall = "CDK0104";

    /// <summary>A type with no hardware form (strings, arrays, classes, structs, enums, ref locals...).</summary>
    public const string UnsupportedType = "CDK0105";

    /// <summary><c>ref</c>/<c>in</c>/<c>params</c>/optional parameters, or a parameter or return of an unsupported type.</summary>
    public const string UnsupportedParameter = "CDK0106";

    /// <summary>Checked arithmetic, whose overflow throws.</summary>
    public const string CheckedArithmetic = "CDK0107";

    /// <summary>A statement outside the subset (foreach, switch, goto, lock, using, yield, local functions...).</summary>
    public const string UnsupportedStatement = "CDK0108";

    /// <summary>An expression or operator outside the subset that no other rule covers.</summary>
    public const string UnsupportedExpression = "CDK0109";

    /// <summary>A call to a library method that has no source and is not an intrinsic.</summary>
    public const string LibraryCall = "CDK0110";

    /// <summary>Mutable static fields, instance members, and properties that are not intrinsics.</summary>
    public const string StateOrMember = "CDK0111";

    /// <summary><c>stackalloc</c> whose size is not a compile-time constant.</summary>
    public const string StackallocSize = "CDK0112";

    /// <summary>A span local or parameter assigned after its declaration.</summary>
    public const string SpanRebound = "CDK0113";

    /// <summary>A range contract (<c>ArgumentOutOfRangeException.ThrowIf...</c>) the compiler cannot read as a parameter's range.</summary>
    public const string Contract = "CDK0114";
}
