namespace CoDesign.Model.MatrixMarket;

/// <summary>The Matrix Market <c>field</c> of a file: what kind of numbers its entries hold.</summary>
public enum MatrixValueField
{
    /// <summary>Floating-point values.</summary>
    Real,

    /// <summary>Integer values.</summary>
    Integer,

    /// <summary>No values: every stored entry is 1.</summary>
    Pattern,
}
