using CoDesign.KernelCompiler.Ir;

namespace CoDesign.KernelCompiler.Scheduling;

/// <summary>
/// How a single-block loop runs as a modulo-scheduled pipeline: a new iteration starts every
/// <see cref="InitiationInterval"/> cycles while earlier ones are still in their later steps.
/// </summary>
/// <param name="InitiationInterval">Cycles between the starts of consecutive iterations (II).</param>
/// <param name="Bypasses">
/// Read-modify-write forwarding: a load and the store of an earlier iteration that reach the same
/// memory in the same cycle. When their addresses match the load takes the store's data, not the
/// memory's old value.
/// </param>
/// <param name="MemoryRegisters">
/// Variables read one iteration ahead (<see cref="IrVariable.PrefetchOf"/>) whose register is their
/// memory's read data: the load of iteration i is in step II - 1 and iteration i + 1 reads the
/// variable in step 0, the next cycle, so the data need not pass through a register of its own
/// (which would make the loop II=2). The first iteration reads the variable's register, which the
/// block in front of the loop wrote.
/// </param>
public sealed record LoopPipeline(int InitiationInterval, IReadOnlyList<StoreBypass> Bypasses, IReadOnlySet<IrVariable> MemoryRegisters)
{
    /// <summary>The loop's cycles for <paramref name="iterations"/> iterations of a schedule of <paramref name="steps"/> steps: one start every II, then the last one drains.</summary>
    public long Cycles(long iterations, int steps) => ((iterations - 1) * InitiationInterval) + steps;
}

/// <summary>A load that takes its data from <paramref name="Store"/> of an earlier iteration when their addresses match.</summary>
/// <param name="Load">The load (of a later iteration).</param>
/// <param name="Store">The store it may read from, in the same cycle as the load's address.</param>
/// <param name="Distance">How many iterations earlier the store's iteration started.</param>
public sealed record StoreBypass(IrNode Load, IrNode Store, int Distance);
