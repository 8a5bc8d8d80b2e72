namespace CoDesign.Model.Spmv;

/// <summary>
/// One 8-bit slice of an integer vector. The accelerator's activations are unsigned bytes, so a vector
/// of any integers runs as <c>x = sum of Sign * 2^Shift * Values</c> over its planes: the positive and
/// the negative parts, each cut into base-256 digits.
/// </summary>
/// <param name="Sign">+1 or -1.</param>
/// <param name="Shift">Bit position of the plane's digit: 0, 8, 16, ...</param>
/// <param name="Values">One digit per vector element.</param>
public sealed record VectorPlane(int Sign, int Shift, byte[] Values);
