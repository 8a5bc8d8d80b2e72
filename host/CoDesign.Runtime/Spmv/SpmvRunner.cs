using CoDesign.Model.Spmv;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Spmv;

/// <summary>
/// Runs a <see cref="SpmvPlan"/> on a device: each pass is compiled, deployed, run on every vector
/// plane in one batch, and unloaded again, so a product larger than the device's memory goes through
/// one tile at a time.
/// </summary>
public static class SpmvRunner
{
    /// <summary>
    /// What one pass may be on a device with <paramref name="profile"/>: a tile's input and its raw
    /// outputs each fit one frame and the activation memory, and its image fits the weight memory.
    /// </summary>
    public static SpmvTileLimits LimitsFor(DeviceProfile profile) => new(
        (rows, cols) => RunRequest.HeaderSize + (long)cols <= profile.MaxPayload
            && RunReply.PayloadSize(1, rows) <= profile.MaxPayload
            && DeviceImage.ScratchFor(cols, [rows], rows) <= profile.ScratchBytes,
        model => ModelCompiler.TryCompile(model, profile, out _, out _));

    /// <summary>Runs every pass of <paramref name="plan"/>; <paramref name="progress"/> hears the passes done.</summary>
    public static SpmvRun Run(DeviceSession session, SpmvPlan plan, IProgress<int>? progress = null)
    {
        var outputs = new List<int[]>(plan.Passes.Count);
        long runs = 0, cycles = 0, entries = 0, broadcasts = 0;
        long linkBefore = session.Link.BytesSent + session.Link.BytesReceived;
        foreach (SpmvPass pass in plan.Passes)
        {
            if (plan.Planes.Count == 0)
            {
                // x = 0: nothing to run, every partial product is zero.
                outputs.Add([]);
                continue;
            }

            DeployedModel deployed = session.Deploy(ModelCompiler.Compile(pass.Model, session.Profile));
            InferenceResult result = session.Infer(deployed, plan.PassInputs(pass), plan.Planes.Count);
            session.Unload(deployed);
            outputs.Add(result.Outputs);
            runs += result.Count;
            cycles += result.Cycles;
            entries += result.Entries;
            broadcasts += result.Broadcasts;

            progress?.Report(outputs.Count);
        }

        return new SpmvRun(outputs, runs, cycles, entries, broadcasts, session.Link.BytesSent + session.Link.BytesReceived - linkBefore);
    }
}
