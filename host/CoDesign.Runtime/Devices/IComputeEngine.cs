namespace CoDesign.Runtime.Devices;

/// <summary>
/// What computes on a device behind its <see cref="LinkServer"/>: the emulator's PE array, the host's
/// cores, a GPU. The link server handles frames, resends, DMA and commits; the engine owns the weight
/// memory DMA lands in and runs committed models. A new kind of device is one engine and one
/// registration in a <see cref="DeviceRegistry"/>.
/// </summary>
public interface IComputeEngine : IDisposable
{
    /// <summary>What the device reports about itself in its Hello reply.</summary>
    DeviceProfile Profile { get; }

    /// <summary>The persistent weight region that DMA writes land in and commits are checked against.</summary>
    IWeightMemory Memory { get; }

    /// <summary>Prepares a committed model to run; the link server disposes it when the model is unloaded or overwritten.</summary>
    IEngineModel Load(CommittedModel model);
}
