namespace CoDesign.Runtime.Devices.Cpu;

/// <summary>
/// The host's own cores as a device: it deploys the same image over the same link as the emulator and
/// computes exactly what the emulator computes, but for speed. <see cref="Load"/> re-lays each layer
/// out row-major (<see cref="CpuLayer"/>); a batch runs in blocks of 16 images held in vector lanes
/// (AVX-512, AVX2 or <see cref="System.Numerics.Vector{T}"/>), the blocks spread over the cores. Its
/// cycles are nanoseconds of each batch's compute, measured on the host (<see cref="CycleSource.HostClock"/>).
/// </summary>
public sealed class CpuEngine : IComputeEngine
{
    /// <summary>Bytes of the weight region: room for models far beyond a board's.</summary>
    public const int WeightBytes = 64 << 20;

    /// <summary>Creates the device.</summary>
    /// <param name="path">The row kernels' instructions; <see cref="CpuKernelPath.Auto"/> picks the widest the host has.</param>
    /// <param name="threads">Cores a batch may use; null for all of them.</param>
    /// <param name="peCount">PEs the device reports, so the compiler's split; the device re-lays rows out itself, so any count works. Null for one per core.</param>
    public CpuEngine(CpuKernelPath path = CpuKernelPath.Auto, int? threads = null, int? peCount = null)
    {
        if (!CpuRowKernels.IsSupported(path))
        {
            throw new PlatformNotSupportedException($"this CPU has no {path} instructions");
        }

        if (peCount is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(peCount), peCount, "the cpu device reports 1 to 64 PEs");
        }

        if (threads is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "a batch needs at least one core");
        }

        Path = CpuRowKernels.Resolve(path);
        Threads = threads ?? Environment.ProcessorCount;
        Profile = DefaultProfile with { PeCount = peCount ?? DefaultProfile.PeCount };
        Memory = new HostWeightMemory(Profile.PersistentBytes);
    }

    /// <summary>
    /// What the device reports: a PE per core (at most 64), a 32-bit bus, <see cref="WeightBytes"/> of weight
    /// memory, 16 MiB of scratch, frames of up to 65,535 bytes, a nanosecond clock, no baud rate (the link is in memory).
    /// </summary>
    public static DeviceProfile DefaultProfile { get; } = new(
        "cpu", Math.Clamp(Environment.ProcessorCount, 1, 64), 32, WeightBytes, 16 << 20, ushort.MaxValue,
        DeviceProfile.NanosecondClockHz, 0, CycleSource.HostClock);

    /// <summary>The instructions the row kernels use (never <see cref="CpuKernelPath.Auto"/>).</summary>
    public CpuKernelPath Path { get; }

    /// <summary>Cores a batch may use.</summary>
    public int Threads { get; }

    /// <inheritdoc />
    public DeviceProfile Profile { get; }

    /// <inheritdoc />
    public IWeightMemory Memory { get; }

    /// <summary>Whether this host can run <paramref name="path"/>.</summary>
    public static bool IsSupported(CpuKernelPath path) => CpuRowKernels.IsSupported(path);

    /// <inheritdoc />
    public IEngineModel Load(CommittedModel model) => new CpuModel(model, Path, Threads);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
