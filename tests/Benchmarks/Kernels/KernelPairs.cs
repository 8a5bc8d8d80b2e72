using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Execution;
using CoDesign.KernelCompiler.Signature;
using CoDesign.Kernels;
using CoDesign.Model;
using CoDesign.Model.Datasets;

namespace CoDesign.Benchmarks.Kernels;

/// <summary>The compiled-versus-hand-written pairs of the issue, with their representative calls.</summary>
internal static class KernelPairs
{
    /// <summary>A typical codebook value (16-bit signed) for the recoder and the multiplier.</summary>
    private const int Constant = -12345;

    /// <summary>
    /// The delays hardware/generate-rtl.sh compiles the accelerator's requantizer and multiplier with (the
    /// compiler's default): both boards build that one copy, so each board's row measures it.
    /// </summary>
    private const string AcceleratorCopyDelays = "up5k";

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
            ClockMhz: 60,
            Device: AcceleratorCopyDelays),
        new(
            "ShiftAddMultiplier.cs",
            "ShiftAddMultiplier.MultiplyActivation",
            KernelShape.Auto,
            ["shift_add_multiplier.v"],
            "shift_add_multiplier",
            IsPe: false,
            s =>
            {
                ShiftAddMultiplier.Recode(Constant, out uint plus, out uint minus);
                return Call(s, ("x", 200), ("plus", plus & 0xFFFF), ("minus", minus & 0xFFFF));
            },
            _ => (3, "3-cycle pipeline (shift_add_multiplier.v)"),
            "the same function as the PEs use it: an unsigned 8-bit x times a recoded 16-bit constant (16 digits; the hand module with DIGITS = 16, as pe.v instantiated it), one operand per cycle, each with a 1-bit tag (the compiled one with --tag, TAG_BITS = 1) and a busy output. Compiled for 60 MHz, as the accelerator's copy is.",
            ClockMhz: 60,
            PipelineTag: true,
            HandParameters: new Dictionary<string, string> { ["DIGITS"] = "16" },
            Device: AcceleratorCopyDelays),
        new(
            "WidthConverter.cs",
            "WidthConverter.UnpackNibbles",
            KernelShape.Auto,
            ["width_unpacker.v"],
            "width_unpacker",
            IsPe: false,
            s => Call(s, ("memory", new long[8]), ("values", new long[16])),
            call => (call.Arguments["values"].Length, "one value per cycle from the cycle after the first word is taken: derived from width_unpacker.v's interface, not simulated"),
            "the same widths on both: UnpackNibbles is WidthConverter.Unpack called with 32-bit words of unsigned 4-bit values, which the compiler inlines and folds, and width_unpacker has those as its default parameters. The kernel reads a byte memory (its cycles include the first read's latency, start and done); width_unpacker streams words."),
        Pe(stall: false),
        Pe(stall: true),
    ];

    /// <summary>
    /// The PE kernel against pe.v, on a real slice. With <paramref name="stall"/> the kernel has the stall
    /// input that a PE fed by the array's broadcast stream needs (a read of an activation not yet arrived
    /// holds it), so the row says what that input costs.
    /// </summary>
    private static KernelPair Pe(bool stall) => new(
        "SparseMatVec.cs",
        "SparseMatVec.MultiplyAccumulate",
        KernelShape.Auto,
        ["pe.v", "broadcast_fifo.v", "shift_add_multiplier_recode16.v", "shift_add_multiplier_multiply_activation.v", "dsp_multiplier.v"],
        "pe",
        IsPe: true,
        PeSlice,
        call => (PeBaseline.Cycles(call), $"pe.v simulated under Icarus (hardware/tb/pe_tb.v) on the same slice and activations, every x[j] broadcast (zeros too, one per cycle), first broadcast to idle; {ConsumedEntries(call)} entries consumed"),
        "the compiled side is the kernel with its codebook (16 x 16 bits) and accumulators (256 x 32 bits) as block RAMs inside a shell (tests/Benchmarks/Kernels/KernelMemoryShell.cs), loaded and read through a host port while it is idle, as pe.v keeps them inside (pe.v's default 64 rows take the same two 32-bit-wide EBR as 256); entries, pointers and x are ports on both, the pointers 16 bits wide on both (pe.v's POINTER_BITS, the array's pointer banks; the kernel's int pointers take them zero-extended). pe.v also has a broadcast FIFO, counters and the clear sweep. Compiled for 44 MHz, above pe.v's 40: the schedule then gives the scaled codebook value a register before the accumulate (one more pipeline step, one more cycle), and the module places faster."
            + (stall ? " With --stall: every register of the kernel holds while stall is high, and the shell's RAMs take its accesses only in cycles with stall low." : string.Empty),
        ClockMhz: 44,
        InnerMemories: new Dictionary<string, int> { ["codebook"] = 16, ["acc"] = 256 },
        NarrowedPorts: new Dictionary<string, int> { ["pointers"] = 16 },
        Stall: stall);

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
                ushort half => [half],
                int number => [number],
                long number => [number],
                _ => throw new ArgumentException($"unexpected argument type {value.GetType().Name}", nameof(arguments)),
            };
        }

        return new KernelCall(signature, values);
    }

    /// <summary>
    /// A real slice: the shipped model's first layer as it is stored (one slice: 256 rows, 784 columns)
    /// with the first Fashion-MNIST test image as its activations.
    /// </summary>
    private static KernelCall PeSlice(KernelSignature signature)
    {
        SparseModel model = ModelFile.Read(Path.Combine(RepositoryFiles.Root, "host", "models", "fashion-mnist-mlp.cdsm"));
        SparseLayer layer = model.Layers[0];
        CcsSlice slice = layer.Weights.Slices[0];
        byte[] x = FashionMnist.LoadTest().Image(0).ToArray();
        return Call(
            signature,
            ("entries", slice.Entries.Select(e => (long)e).ToArray()),
            ("pointers", slice.Pointers.Select(p => (long)p).ToArray()),
            ("codebook", layer.Codebook.Select(c => (long)c).ToArray()),
            ("x", x.Select(v => (long)v).ToArray()),
            ("acc", new long[CcsEncoder.LocalRowCount(layer.Rows, layer.Weights.PeCount, 0)]));
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
