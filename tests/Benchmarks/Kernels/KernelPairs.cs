using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;
using CoDesign.Kernels;

namespace CoDesign.Benchmarks.Kernels;

/// <summary>The compiled-versus-hand-written pairs of the issue, with their representative calls.</summary>
internal static class KernelPairs
{
    /// <summary>PE slice of the cycle comparison: rows x columns, one PE, about 40% nonzero weights, half the activations zero.</summary>
    private const int SliceRows = 16;
    private const int SliceColumns = 16;

    /// <summary>A typical codebook value (16-bit signed) for the recoder and the multiplier.</summary>
    private const int Constant = -12345;

    /// <summary>pe.v's header: first address 3 cycles after the broadcast is taken, the product in its accumulator 8 cycles after its address.</summary>
    private const int PeFillCycles = 3 + 8;

    public static IReadOnlyList<KernelPair> All { get; } =
    [
        new(
            "Crc32.cs",
            "Crc32.UpdateByte",
            KernelShape.Combinational,
            ["crc32_update.v"],
            "crc32_update",
            IsPe: false,
            s => Call(s, ("crc", 0xFFFF_FFFFL), ("data", 0x31)),
            _ => (0, "combinational"),
            "same function: one byte into the reflected CRC-32 register."),
        new(
            "ShiftAddMultiplier.cs",
            "ShiftAddMultiplier.Recode16",
            KernelShape.Combinational,
            ["csd_recoder.v"],
            "csd_recoder",
            IsPe: false,
            s => Call(s, ("constant", Constant)),
            _ => (0, "combinational"),
            "the same function as the PEs use it: a 16-bit constant into digit masks (the kernel's are 32 bits wide, of which digits 0..16 are used; csd_recoder's 17)."),
        new(
            "Requantizer.cs",
            "Requantizer.Requantize",
            KernelShape.Auto,
            ["requantizer.v"],
            "requantizer",
            IsPe: false,
            s => Call(s, ("acc", 100_000), ("bias", -1234), ("shift", 8), ("raw", 0)),
            _ => (2, "2-stage pipeline (requantizer.v)"),
            "the same function (bias add, Raw32 or ReLU/round/shift/saturate) and the widths the layer engine uses (32-bit acc and bias, 5-bit shift by the kernel's contract); requantizer.v also has in_ready/out_ready back-pressure, which the layer engine ties off (out_ready = 1). Compiled for 60 MHz, as the accelerator's copy is.",
            ClockMhz: 60),
        new(
            "ShiftAddMultiplier.cs",
            "ShiftAddMultiplier.Multiply(int, uint, uint, out int)",
            KernelShape.Auto,
            ["shift_add_multiplier.v"],
            "shift_add_multiplier",
            IsPe: false,
            s =>
            {
                ShiftAddMultiplier.Recode(Constant, out uint plus, out uint minus);
                return Call(s, ("x", 200), ("plus", plus), ("minus", minus));
            },
            _ => (3, "3-cycle pipeline (shift_add_multiplier.v)"),
            "the kernel takes a 32-bit x and 32-digit masks and also returns the step count; the hand module an unsigned 8-bit x and 17 digits, pipelined with a tag."),
        new(
            "WidthConverter.cs",
            "WidthConverter.Unpack",
            KernelShape.Auto,
            ["width_unpacker.v"],
            "width_unpacker",
            IsPe: false,
            s => Call(s, ("memory", new long[8]), ("wordBits", 32), ("valueBits", 4), ("signed", 0), ("values", new long[16])),
            call => (call.Arguments["values"].Length, "one value per cycle from the cycle after the first word is taken: derived from width_unpacker.v's interface, not simulated"),
            "the kernel takes word and value widths and signedness at run time and reads a memory; width_unpacker fixes them as parameters (defaults: 32-bit words, 4-bit unsigned values) and streams."),
        new(
            "SparseMatVec.cs",
            "SparseMatVec.MultiplyAccumulate",
            KernelShape.Auto,
            ["pe.v", "shift_add_multiplier_recode16.v", "shift_add_multiplier.v", "dsp_multiplier.v"],
            "pe",
            IsPe: true,
            PeSlice,
            call => (ConsumedEntries(call) + PeFillCycles, $"one entry per cycle + {PeFillCycles} cycles of fill (3 from broadcast to first address, 8 to the last accumulator write): from pe.v's header comment, not simulated"),
            "the kernel's spans (entries, pointers, codebook, x, acc) are memories outside its module; pe.v keeps the codebook and accumulators inside (its EBR) and has a broadcast FIFO, counters and the clear sweep."),
    ];

    /// <summary>A call with the named arguments; parameters not named (out parameters) get none.</summary>
    private static KernelCall Call(KernelSignature signature, params (string Name, object Value)[] arguments)
    {
        var values = signature.Parameters.ToDictionary(p => p.Name, _ => Array.Empty<long>(), StringComparer.Ordinal);
        foreach ((string name, object value) in arguments)
        {
            if (!values.ContainsKey(name))
            {
                throw new InvalidOperationException($"{signature.Name} has no parameter '{name}'");
            }

            values[name] = value switch
            {
                long[] span => span,
                uint word => [word],
                int number => [number],
                long number => [number],
                _ => throw new ArgumentException($"unexpected argument type {value.GetType().Name}", nameof(arguments)),
            };
        }

        return new KernelCall(signature, values);
    }

    /// <summary>A small real slice: a seeded random index matrix encoded by CcsEncoder, as the compressor does.</summary>
    private static KernelCall PeSlice(KernelSignature signature)
    {
        var random = new Random(42);
        byte[] indices = [.. Enumerable.Range(0, SliceRows * SliceColumns).Select(_ => (byte)(random.NextDouble() < 0.4 ? random.Next(1, CcsEntry.CodebookSize) : 0))];
        byte[] entries = new byte[CcsEncoder.CountSliceEntries(indices, SliceRows, SliceColumns, 1, 0)];
        int[] pointers = new int[SliceColumns + 1];
        CcsEncoder.EncodeSlice(indices, SliceRows, SliceColumns, 1, 0, entries, pointers);
        long[] codebook = [0, .. Enumerable.Range(1, CcsEntry.CodebookSize - 1).Select(_ => (long)random.Next(-32768, 32768))];
        long[] x = [.. Enumerable.Range(0, SliceColumns).Select(j => j % 2 == 0 ? 0L : random.Next(1, 256))];
        return Call(
            signature,
            ("entries", entries.Select(e => (long)e).ToArray()),
            ("pointers", pointers.Select(p => (long)p).ToArray()),
            ("codebook", codebook),
            ("x", x),
            ("acc", new long[SliceRows]));
    }

    /// <summary>Entries the PE consumes for the call: the C# kernel's own count.</summary>
    private static long ConsumedEntries(KernelCall call)
    {
        byte[] entries = [.. call.Arguments["entries"].Select(v => (byte)v)];
        int[] pointers = [.. call.Arguments["pointers"].Select(v => (int)v)];
        short[] codebook = [.. call.Arguments["codebook"].Select(v => (short)v)];
        byte[] x = [.. call.Arguments["x"].Select(v => (byte)v)];
        int[] acc = new int[call.Arguments["acc"].Length];
        return SparseMatVec.MultiplyAccumulate(entries, pointers, codebook, x, acc);
    }
}
