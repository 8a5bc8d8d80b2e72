namespace CoDesign.Runtime.Devices.Emulator;

/// <summary>
/// The accelerator emulated in C#: the kernels run each PE's slice as the hardware would, with the
/// result path's width conversions, and a cost model counts the cycles of the chosen engine.
/// </summary>
public sealed class EmulatorEngine : IComputeEngine
{
    /// <summary>Creates an emulated device shaped by <paramref name="profile"/>, its weight region starting with <paramref name="bakedWeights"/>.</summary>
    /// <param name="profile">Shape, memory and clock the device reports.</param>
    /// <param name="bakedWeights">Bytes from address 0, as a bitstream that initialises the weight memory.</param>
    /// <param name="costModel">Whose cycles Run replies count: the PE array's (default) or the sequential engine's.</param>
    public EmulatorEngine(DeviceProfile profile, ReadOnlySpan<byte> bakedWeights = default, EmulatedEngine costModel = EmulatedEngine.PeArray)
    {
        Profile = profile with { Cycles = CycleSource.CostModel, Features = EngineFeatures.ColumnBlocks };
        CostModel = costModel;
        Memory = new HostWeightMemory(profile.PersistentBytes, bakedWeights);
        Accumulators = new int[profile.ScratchBytes / 4];
        Activations = new byte[Math.Max(1, profile.ScratchBytes / 8)][];
    }

    /// <inheritdoc />
    public DeviceProfile Profile { get; }

    /// <summary>Whose cycles Run replies count.</summary>
    public EmulatedEngine CostModel { get; }

    /// <inheritdoc />
    public IWeightMemory Memory { get; }

    /// <summary>
    /// The accumulators, in the scratch memory: column blocks (<see cref="Compile.BlockFlags"/>) leave
    /// their partial sums here from one Run to the next, input i's rows after input i - 1's.
    /// </summary>
    internal int[] Accumulators { get; }

    /// <summary>
    /// The activations chained column blocks leave in scratch for the next layer
    /// (<see cref="Compile.BlockFlags.ChainOut"/>): one buffer per input of a Run, made when first used.
    /// </summary>
    internal byte[]?[] Activations { get; }

    /// <inheritdoc />
    public IEngineModel Load(CommittedModel model) => new EmulatedModel(model, Profile.BusBits, CostModel, Accumulators, Activations);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
