namespace CoDesign.Hardware;

/// <summary>
/// The parameters of <c>accelerator_top</c> a Verilator build varies: which layer engine it carries
/// and how much weight memory. The board builds carry the sequential engine; the PE array is the
/// default simulation.
/// </summary>
/// <param name="PeArray">Whether the engine multiplies on the EIE-style PE array (<c>PE_ARRAY=1</c>) or the sequential engine.</param>
/// <param name="MemoryBits">Address bits of the weight memory (<c>MEM_BITS</c>): 17 is 128 KiB.</param>
public sealed record RtlBuild(bool PeArray, int MemoryBits)
{
    /// <summary>The default simulation: the PE array with 128 KiB of weight memory.</summary>
    public static RtlBuild Default { get; } = new(true, 17);

    /// <summary>The Verilator <c>-G</c> settings for this build.</summary>
    public IReadOnlyList<string> Parameters => [$"-GPE_ARRAY={(PeArray ? 1 : 0)}", $"-GMEM_BITS={MemoryBits}"];
}
