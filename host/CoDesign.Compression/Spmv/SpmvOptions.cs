namespace CoDesign.Compression.Spmv;

/// <summary>How a product is planned.</summary>
/// <param name="PeCount">PEs of the device; tiles are encoded for it.</param>
/// <param name="Approximate">Cluster a real matrix into 15 shared values instead of refusing non-integers.</param>
/// <param name="Wrap">Accept rows that may overflow the 32-bit accumulator; y is then taken modulo 2^32.</param>
/// <param name="Name">Name of the product, for the tiles' model names.</param>
public sealed record SpmvOptions(int PeCount, bool Approximate = false, bool Wrap = false, string Name = "spmv");
