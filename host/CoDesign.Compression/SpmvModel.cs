using CoDesign.Model;

namespace CoDesign.Compression;

/// <summary>A matrix turned into a one-layer accelerator model, with the report on how it was encoded.</summary>
/// <param name="Model">One layer, raw 32-bit outputs, zero bias: running it computes y = A x.</param>
/// <param name="Report">Exactness, quantization error and the real value of an output unit.</param>
public sealed record SpmvModel(SparseModel Model, SpmvEncodingReport Report);
