using System.Globalization;
using CoDesign.Hardware;
using CoDesign.KernelCompiler.Execution;
using CoDesign.Kernels;

namespace CoDesign.Benchmarks.Kernels;

/// <summary>
/// The hand-written PE's cycles on a call of <c>SparseMatVec.MultiplyAccumulate</c>, simulated: pe.v
/// under Icarus in its bench (hardware/tb/pe_tb.v), given the same slice and every activation of x
/// (zeros included, one broadcast per cycle, as the kernel reads every x[j]), from the first
/// broadcast to idle. Its accumulators are checked against the C# kernel's.
/// </summary>
internal static class PeBaseline
{
    private static readonly string[] Rtl = ["pe.v", "broadcast_fifo.v", "shift_add_multiplier_recode16.v", "shift_add_multiplier_multiply_activation.v", "dsp_multiplier.v"];

    /// <summary>pe.v's cycles for the call.</summary>
    public static long Cycles(KernelCall call)
    {
        byte[] entries = [.. call.Arguments["entries"].Select(v => (byte)v)];
        int[] pointers = [.. call.Arguments["pointers"].Select(v => (int)v)];
        short[] codebook = [.. call.Arguments["codebook"].Select(v => (short)v)];
        byte[] x = [.. call.Arguments["x"].Select(v => (byte)v)];
        int rows = call.Arguments["acc"].Length;
        string folder = Path.Combine(Path.GetTempPath(), $"codesign-pe-baseline-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            Write(folder, "pe_entries.hex", entries.Select(e => (ulong)e), 2);
            Write(folder, "pe_pointers.hex", pointers.Select(p => (ulong)p), 4);
            Write(folder, "pe_codebook.hex", codebook.Select(c => (ulong)(ushort)c), 4);
            Write(folder, "pe_acts.hex", x.Select(v => (ulong)v), 2);
            string output = IcarusSimulation.Run(
                "pe_tb",
                Rtl.Select(HardwareSources.Rtl).Append(HardwareSources.TestBench("pe_tb.v")),
                folder,
                new Dictionary<string, string>
                {
                    ["COLS"] = Text(x.Length),
                    ["ENTRY_COUNT"] = Text(Math.Max(1, entries.Length)),
                    ["LOCAL_ROWS"] = Text(rows),
                    ["ROW_BITS"] = Text(Math.Max(4, BitsFor(rows))),
                    ["ENTRY_ADDR_BITS"] = Text(BitsFor(Math.Max(2, entries.Length))),
                    ["COL_BITS"] = Text(BitsFor(x.Length + 1)),
                    ["PASSES"] = "1",
                    ["BROADCAST_ZEROS"] = "1",
                },
                TimeSpan.FromMinutes(5));
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

            int[] acc = new int[rows];
            SparseMatVec.MultiplyAccumulate(entries, pointers, codebook, x, acc);
            string[] expected = [.. acc.Select((value, r) => $"ACC 0 {r} {unchecked((uint)value).ToString("x8", CultureInfo.InvariantCulture)}")];
            if (!expected.SequenceEqual(lines.Where(l => l.StartsWith("ACC ", StringComparison.Ordinal))))
            {
                throw new InvalidOperationException("pe.v's accumulators differ from SparseMatVec.MultiplyAccumulate's:\n" + output);
            }

            // PASS 0 CYCLES <n> BUSY <b> ENTRIES <m>
            string pass = lines.Single(l => l.StartsWith("PASS 0 ", StringComparison.Ordinal));
            return long.Parse(pass.Split(' ')[3], CultureInfo.InvariantCulture);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Write(string folder, string file, IEnumerable<ulong> values, int digits) =>
        File.WriteAllLines(Path.Combine(folder, file), values.DefaultIfEmpty(0UL).Select(v => v.ToString("x" + Text(digits), CultureInfo.InvariantCulture)));

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static int BitsFor(long count)
    {
        int bits = 1;
        while ((1L << bits) < count)
        {
            bits++;
        }

        return bits;
    }
}
