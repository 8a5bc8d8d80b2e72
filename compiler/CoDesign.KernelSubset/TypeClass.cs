namespace CoDesign.KernelSubset;

/// <summary>How a type stands in the hardware subset.</summary>
internal enum TypeClass
{
    /// <summary>bool, char, an 8- to 64-bit integer, or a span of one of them.</summary>
    Supported,

    /// <summary>float, double or decimal, or a span of them: refused under its own rule.</summary>
    FloatingPoint,

    /// <summary>Anything else.</summary>
    Unsupported,
}
