using System.Diagnostics;
using System.Globalization;
using CoDesign.Hardware.Tests.Compute;
using CoDesign.Hardware.Tests.Link;
using CoDesign.Model;
using CoDesign.Runtime;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;
using Xunit.Abstractions;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// hardware/rtl/accelerator_top.v through its pins under Icarus (hardware/tb/accelerator_top_tb.v):
/// the wire bytes of a whole session (<see cref="RequestScript.Session"/>) shifted into uart_rx
/// give on uart_tx exactly the wire bytes the emulator sends for them, but for a Run's cycle
/// count and an error's text (and the CRCs over those).
/// </summary>
public class AcceleratorTopRtlTests(ITestOutputHelper output)
{
    private static readonly string[] TopRtl =
    [
        "accelerator_top.v", "uart_rx.v", "uart_tx.v", "frame_receiver.v", "zero_run_decoder.v", "frame_transmitter.v", "crc32_update_byte.v",
        "command_controller.v", "model_table.v", "weight_memory.v", .. LayerEngineRtlTests.EngineRtl,
    ];

    /// <summary>Clocks per UART bit: the Verilated simulation's, the fastest the UARTs are built for.</summary>
    private const int ClocksPerBit = VerilatorSimulation.SimulatedClocksPerBit;

    [Fact]
    public void ASessionOverTheUartPinsGetsTheEmulatorsWireBytes()
    {
        const int memBits = 17;
        // Six outputs: a batch of 41 fills a reply to exactly the largest payload (40 + 41 x 24 bytes).
        SparseModel model = RandomSparseModel.Create(31, [20, 10, 6], 0.5, 4);
        var random = new Random(4);
        byte[][] batch = [.. Enumerable.Range(0, 2).Select(_ => LayerEngineRtlTests.RandomInput(random, model.InputSize, 0.3))];
        byte[][] later = [LayerEngineRtlTests.RandomInput(random, model.InputSize, 0.5)];
        DeviceProfile profile = RequestScript.RtlProfile(memBits);
        RequestScript script = RequestScript.Session(model, profile, 0x1_0000, batch, later, 4);
        (List<Frame> emulated, int models) = script.Emulate(profile);

        // The host waits for each reply before its next request (unless the step says otherwise) and
        // now and then pauses between bytes.
        var words = new List<ulong>();
        foreach (RequestScript.Step step in script.Steps)
        {
            if (step.SoftReset)
            {
                words.Add(2UL << 16);
                continue;
            }

            for (int i = 0; i < step.Wire.Length; i++)
            {
                ulong kind = i == 0 && !step.Early ? 1UL : 0UL;
                ulong gap = random.Next(16) == 0 ? (ulong)random.Next(1, 6) : 0UL;
                words.Add((kind << 16) | (gap << 8) | step.Wire[i]);
            }
        }

        using var folder = new BenchFolder("accelerator-top");
        ComputeBench.WriteHex(folder, "at_wire.hex", words, 5);
        var stopwatch = Stopwatch.StartNew();
        List<string> printed = folder.Run("accelerator_top_tb", TopRtl, new Dictionary<string, string>
        {
            ["CLKS_PER_BIT"] = RequestScript.Text(ClocksPerBit),
            ["MEM_BITS"] = RequestScript.Text(memBits),
            ["WORDS"] = RequestScript.Text(words.Count),
            ["SEED"] = "4",
        });
        byte[] heard = [.. LinkBench.Only(printed, "OUT").Select(l => Convert.ToByte(l[4..], 16))];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{words.Count} bytes sent, {heard.Length} heard, in {stopwatch.Elapsed.TotalSeconds:F1} s of Icarus"));

        List<Frame> replies = LinkBench.DecodeFrames(heard, RequestScript.MaxPayload);
        List<Frame> expected = script.AssertSameReplies(emulated, replies, hasEngine: true);

        // Nothing but those frames on the line: flags, stuffing and CRCs as FrameCodec puts them.
        Assert.Equal(LinkBench.Hex([.. expected.SelectMany(FrameCodec.Encode)]), LinkBench.Hex(heard));
        Assert.Equal([$"MODELS {models}"], LinkBench.Only(printed, "MODELS"));
    }
}
