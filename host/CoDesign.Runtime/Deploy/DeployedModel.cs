using CoDesign.Model;

namespace CoDesign.Runtime.Deploy;

/// <summary>
/// The small handle the host keeps for a model living on a device once its image has been
/// confirmed and released: where it is, and what goes in and out. The output of stage "deploy".
/// Compared by identity: a handle stays invalid after unloading even if a new model lands at the same address.
/// </summary>
/// <param name="Name">Model name.</param>
/// <param name="Address">Start of its image in device memory.</param>
/// <param name="ImageBytes">Bytes of device memory it occupies.</param>
/// <param name="InputSize">Unsigned 8-bit inputs per inference.</param>
/// <param name="OutputSize">Outputs per inference.</param>
/// <param name="OutputKind">Whether outputs are raw 32-bit values or 8-bit activations.</param>
public sealed class DeployedModel(string Name, int Address, int ImageBytes, int InputSize, int OutputSize, LayerOutput OutputKind)
{
    /// <summary>Model name.</summary>
    public string Name { get; } = Name;

    /// <summary>Start of its image in device memory.</summary>
    public int Address { get; } = Address;

    /// <summary>Bytes of device memory it occupies.</summary>
    public int ImageBytes { get; } = ImageBytes;

    /// <summary>Unsigned 8-bit inputs per inference.</summary>
    public int InputSize { get; } = InputSize;

    /// <summary>Outputs per inference.</summary>
    public int OutputSize { get; } = OutputSize;

    /// <summary>Whether outputs are raw 32-bit values or 8-bit activations.</summary>
    public LayerOutput OutputKind { get; } = OutputKind;

    /// <summary>Host bytes this handle stands for: its fields and name, nothing of the image.</summary>
    public long HostBytes => 64 + (2L * Name.Length);
}
