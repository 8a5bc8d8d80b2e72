using System.Diagnostics;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Tests;

public class LinkWaitTests
{
    [Fact]
    public void EachResendToASilentDeviceIsReportedAsItHappens()
    {
        (LoopbackStream hostEnd, LoopbackStream nobody) = LoopbackStream.CreatePair();
        var heard = new List<(LinkWait Wait, long At)>();
        var clock = Stopwatch.StartNew();
        var waits = new Recorder(w => heard.Add((w, clock.ElapsedMilliseconds)));

        Assert.Throws<DeviceTimeoutException>(() => DeviceSession.Open(hostEnd, "board-7", TimeSpan.FromMilliseconds(80), attempts: 3, waits: waits));
        long failedAt = clock.ElapsedMilliseconds;

        Assert.Equal([2, 3], heard.Select(h => h.Wait.Attempt));
        Assert.All(heard, h => Assert.Equal((FrameType.Hello, 3), (h.Wait.Request, h.Wait.Attempts)));
        // Told during the wait, not at the end: the first resend is heard about one timeout before the error.
        Assert.True(failedAt - heard[0].At >= 120, $"first resend heard at {heard[0].At} ms, failure at {failedAt} ms");
        Assert.Equal("device 'board-7': no reply to Hello #1 after 0.1 s; sending it again (attempt 2 of 3)", heard[0].Wait.ToString());
        nobody.Dispose();
    }

    private sealed class Recorder(Action<LinkWait> record) : IProgress<LinkWait>
    {
        public void Report(LinkWait value) => record(value);
    }
}
