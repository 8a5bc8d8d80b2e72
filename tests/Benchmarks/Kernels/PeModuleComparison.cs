using System.Globalization;
using CoDesign.Hardware;
using CoDesign.Hardware.Synthesis;

namespace CoDesign.Benchmarks.Kernels;

/// <summary>
/// The whole PE as the array holds it, compiled against hand-written: hardware/rtl/compiled_pe.v (the
/// PE kernel compiled with <c>--stall</c>, checked in under hardware/rtl/generated/, behind pe.v's ports
/// with its FIFO, sparse reader, accumulators, row base and counters) against pe.v, both with the
/// array's parameters for the UP5K (64 rows, 13-bit entry addresses, 10-bit columns) and the same
/// synthesis. The kernel rows of the report compare the kernel alone in a memory shell; this row is
/// what switching the array's PEs would cost. Cycles are not simulated here: PeRtlTests runs both PEs
/// on the shipped model's slices (first broadcast to idle, 1.11x and 1.13x pe.v's).
/// </summary>
internal static class PeModuleComparison
{
    /// <summary>What <c>--only</c> must be part of for this row to run.</summary>
    public const string Title = "compiled_pe vs pe";

    private static readonly Dictionary<string, string> Parameters = new() { ["ROW_BITS"] = "6", ["ENTRY_ADDR_BITS"] = "13", ["COL_BITS"] = "10" };

    private static readonly string[] CompiledFiles = ["compiled_pe.v", "sparse_mat_vec_multiply_accumulate.v", "sparse_stream_reader.v", "broadcast_fifo.v"];

    private static readonly string[] HandFiles = ["pe.v", "broadcast_fifo.v", "shift_add_multiplier_recode16.v", "shift_add_multiplier_multiply_activation.v", "dsp_multiplier.v"];

    /// <summary>The row for <paramref name="board"/>, with the Fmax of each side the median over seeds 1..<paramref name="seeds"/>.</summary>
    public static string Row(Board board, int seeds, List<string> notes)
    {
        string head = $"| `compiled_pe` vs `pe` (whole PE) | {board.Name} |";
        SynthesisReport compiled = KernelQualityReport.Synthesize(Paths(CompiledFiles), "compiled_pe", board, new SynthesisOptions { Parameters = Parameters }, seeds, out string compiledSpread);
        SynthesisReport hand = KernelQualityReport.Synthesize(Paths(HandFiles), "pe", board, new SynthesisOptions { Parameters = Parameters }, seeds, out string handSpread);
        if (seeds > 1)
        {
            notes.Add($"`compiled_pe` vs `pe` on {board.Name}, Fmax MHz over seeds 1..{seeds}: compiled {compiledSpread}, hand {handSpread}.");
        }

        notes.Add("`compiled_pe` vs `pe` (whole PE): " + string.Join(", ", Parameters.Select(p => $"{p.Key} {p.Value}")) + " on both; compiled_pe.v holds the checked-in hardware/rtl/generated/sparse_mat_vec_multiply_accumulate.v (--stall, 44 MHz). Cycles on the shipped model's real slices: `dotnet test tests/CoDesign.Hardware.Tests --filter RealLayerSlicesOnTheCompiledPe`.");
        double lut = (double)compiled.Lut4 / hand.Lut4;
        double fmax = compiled.FmaxMHz / hand.FmaxMHz;
        string ebr = compiled.BlockRams == hand.BlockRams ? "met" : compiled.BlockRams < hand.BlockRams ? "met, fewer" : "NOT met";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{head} Verilog module | {compiled.Lut4} / {hand.Lut4} | {lut:0.00}x ({(lut <= 1.25 ? "met" : "NOT met")}, bar ≤ 1.25x) | {compiled.FlipFlops} / {hand.FlipFlops} | {compiled.BlockRams} / {hand.BlockRams} (bar equal: {ebr}) | {compiled.Dsps} / {hand.Dsps} | {compiled.FmaxMHz:0.0} / {hand.FmaxMHz:0.0} | {fmax:0.00}x ({(fmax >= 0.9 ? "met" : "NOT met")}, bar ≥ 0.9x) | see notes | |");
    }

    private static string[] Paths(string[] files) =>
        [.. files.Select(f => RepositoryFiles.HandModule(f) ?? throw new FileNotFoundException($"{f} is in none of hardware/baseline/, hardware/rtl/ and hardware/rtl/generated/", f))];
}
