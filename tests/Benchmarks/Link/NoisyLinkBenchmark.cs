using System.Diagnostics;
using System.Globalization;
using CoDesign.Model;
using CoDesign.Model.Datasets;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;
using RepositoryFiles = CoDesign.Benchmarks.Kernels.RepositoryFiles;

namespace CoDesign.Benchmarks.Link;

/// <summary>
/// <c>--noisy-link [--images N] [--budget SECONDS]</c>: goodput of the link against the bit error rate
/// (0, 1e-6, 1e-5, 1e-4, 3e-4, with BER/10 of the bytes dropped, both directions), for the adaptive
/// link and for frames fixed at the device's 4 KiB, side by side in one run. Each run deploys the
/// shipped model to the emulator through a <see cref="NoisyLine"/> and classifies N Fashion-MNIST
/// test images, checked bit-exactly against <see cref="DenseIntegerReference"/>. Both links get a
/// large quick-resend budget, or the fixed frames would give up at once at high rates; a run that
/// exceeds the budget in seconds is stopped and reported as such.
/// </summary>
internal static class NoisyLinkBenchmark
{
    private static readonly double[] BitErrorRates = [0, 1e-6, 1e-5, 1e-4, 3e-4];

    public static int Run(string[] args)
    {
        int images = BenchmarkArguments.Int(args, "--images", 1000);
        int budget = BenchmarkArguments.Int(args, "--budget", 60);
        SparseModel model = ModelFile.Read(Path.Combine(RepositoryFiles.Root, "host", "models", "fashion-mnist-mlp.cdsm"));
        LabeledImages test = FashionMnist.LoadTest().Take(images);
        var reference = new DenseIntegerReference(model);
        int[] expected = Enumerable.Range(0, test.Count).SelectMany(i => reference.Forward(test.Image(i))).ToArray();

        Measure(model, test, expected, 0, adaptive: true, TimeSpan.FromSeconds(budget)); // warm-up: JIT, caches
        Console.WriteLine($"noisy link: shipped model deployed to the emulator and {images} images classified through a NoisyLine (drops at BER/10, both directions)");
        Console.WriteLine("useful bytes = image bytes + input bytes; efficiency = useful / wire bytes both ways; 3 Mbaud = useful bytes/s a 3 Mbaud UART would carry at that efficiency");
        Console.WriteLine();
        Console.WriteLine($"{"BER",-7} {"link",-9} {"payload",15} {"wall s",7} {"useful KB/s",11} {"images/s",9} {"efficiency",10} {"3 Mbaud KB/s",12} {"frame errs",10} {"corrupt",8} {"timeouts",8} {"resends",8} {"exact",5}");
        foreach (double ber in BitErrorRates)
        {
            foreach (bool adaptive in new[] { true, false })
            {
                Console.WriteLine(Measure(model, test, expected, ber, adaptive, TimeSpan.FromSeconds(budget)));
            }
        }

        return 0;
    }

    private static string Measure(SparseModel model, LabeledImages test, int[] expected, double ber, bool adaptive, TimeSpan budget)
    {
        (LinkServer device, Stream hostEnd) = LinkServer.Start(new EmulatorEngine(DeviceProfile.EmulatorDefault));
        var line = new NoisyLine(hostEnd, ber, ber / 10, seed: 10);
        using var session = DeviceSession.Open(line, "emulator", TimeSpan.FromSeconds(2), attempts: 8);
        session.Client.QuickResends = 1_000_000;
        if (!adaptive)
        {
            session.Client.Framing = new FrameSizePolicy(session.Profile.MaxPayload, session.Profile.MaxPayload);
        }

        string name = adaptive ? "adaptive" : "fixed 4K";
        DeviceImage image = ModelCompiler.Compile(model, session.Profile);
        long imageBytes = image.ImageBytes;
        var clock = Stopwatch.StartNew();
        // Over budget, the link is closed under the run, which ends it with a timeout.
        using var stop = new Timer(_ => session.Dispose(), null, budget, Timeout.InfiniteTimeSpan);
        int done = 0;
        var outputs = new List<int>(expected.Length);
        var payloads = new SortedSet<int>();
        string outcome = "";
        try
        {
            DeployedModel deployed = session.Deploy(image);
            payloads.Add(session.Link.PayloadSize);
            int slice = 25; // small slices, so the chosen frame sizes are seen as they change
            while (done < test.Count)
            {
                int n = Math.Min(slice, test.Count - done);
                outputs.AddRange(session.Infer(deployed, test.Pixels.AsSpan(done * test.ImageSize, n * test.ImageSize), n).Outputs);
                payloads.Add(session.Link.PayloadSize);
                done += n;
            }
        }
        catch (Exception e) when (e is DeviceTimeoutException or ObjectDisposedException)
        {
            outcome = $" stopped after {budget.TotalSeconds:0} s: {done} of {test.Count} images";
        }

        double seconds = clock.Elapsed.TotalSeconds;
        stop.Dispose();
        LinkStatistics link = session.Link;
        long useful = (image.IsFullyReleased ? imageBytes : 0) + ((long)done * test.ImageSize);
        long wire = link.BytesSent + link.BytesReceived;
        double efficiency = wire == 0 ? 0 : useful / (double)wire;
        bool exact = outputs.SequenceEqual(expected.Take(outputs.Count));
        string sizes = payloads.Count == 0 ? "-" : payloads.Min == payloads.Max ? $"{payloads.Min}" : $"{payloads.Min}..{payloads.Max}";
        device.Dispose();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{(ber == 0 ? "0" : ber.ToString("0e0", CultureInfo.InvariantCulture)),-7} {name,-9} {sizes,15} {seconds,7:0.00} {useful / seconds / 1024,11:0} {done / seconds,9:0} {efficiency,10:0.000} {efficiency * 300_000 / 1024,12:0.0} {link.FrameErrors,10} {link.CorruptedFrames,8} {link.Timeouts,8} {link.Retransmissions,8} {(done == 0 ? "-" : exact ? "yes" : "NO"),5}{outcome}");
    }
}
