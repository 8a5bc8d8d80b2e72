using System.Diagnostics;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>The resend timeout follows the measured round trip, so a lost frame costs about a round trip, not the configured timeout.</summary>
public class AdaptiveTimeoutTests
{
    private static readonly TimeSpan Floor = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(5);

    [Fact]
    public void BeforeAnySampleTheTimeoutIsTheCeiling()
    {
        var timer = new RetransmitTimer();

        Assert.Equal(Ceiling, timer.TimeoutFor(100, Floor, Ceiling));
    }

    [Fact]
    public void SteadyRoundTripsConvergeToTheRoundTripAboveTheFloor()
    {
        var timer = new RetransmitTimer();
        for (int i = 0; i < 100; i++)
        {
            timer.Sample(TimeSpan.FromMilliseconds(30 + (i % 3)), 200);
        }

        TimeSpan timeout = timer.TimeoutFor(200, Floor, Ceiling);
        Assert.InRange(timer.SmoothedRoundTrip.TotalMilliseconds, 30, 32);
        Assert.InRange(timeout.TotalMilliseconds, 31, 40);
        // A tiny round trip still waits the floor; a request 4 times longer waits 4 times longer.
        Assert.Equal(Floor, new RetransmitTimerBuilder(TimeSpan.FromMilliseconds(0.1)).Timer.TimeoutFor(200, Floor, Ceiling));
        Assert.InRange(timer.TimeoutFor(800, Floor, Ceiling).TotalMilliseconds, 4 * 31, 4 * 40);
    }

    [Fact]
    public void EachTimeoutDoublesTheWaitUpToTheCeilingAndAFreshSampleEndsTheBackoff()
    {
        var timer = new RetransmitTimerBuilder(TimeSpan.FromMilliseconds(50)).Timer;
        TimeSpan first = timer.TimeoutFor(200, Floor, Ceiling);

        timer.Backoff();
        Assert.Equal(2 * first.TotalMilliseconds, timer.TimeoutFor(200, Floor, Ceiling).TotalMilliseconds, 3);
        for (int i = 0; i < 20; i++)
        {
            timer.Backoff();
        }

        Assert.Equal(Ceiling, timer.TimeoutFor(200, Floor, Ceiling));
        timer.Sample(TimeSpan.FromMilliseconds(50), 200);
        Assert.True(timer.TimeoutFor(200, Floor, Ceiling) < TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void OnTheEmulatorTheTimeoutConvergesAndALostRequestCostsAboutARoundTrip()
    {
        bool lose = false;
        using var device = new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        using var link = new LinkClient(FaultInjectingStream.Tap(hostEnd, _ => !Interlocked.Exchange(ref lose, false)), "emulator", Ceiling, attempts: 1);
        for (int i = 0; i < 50; i++)
        {
            link.Request(FrameType.Status, []);
        }

        RetransmitTimer timer = link.TimerOf(FrameType.Status);
        Assert.Equal(50, timer.Samples);
        Assert.True(timer.TimeoutFor(20, link.MinTimeout, link.Timeout) < TimeSpan.FromMilliseconds(500), $"timeout {timer.TimeoutFor(20, link.MinTimeout, link.Timeout)}");

        lose = true;
        var clock = Stopwatch.StartNew();
        link.Request(FrameType.Status, []);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"a lost request took {clock.Elapsed} with a {Ceiling} ceiling");
        Assert.Equal(1, link.Statistics.Timeouts);
        Assert.Equal(1, link.Statistics.Retransmissions);
    }

    [Fact]
    public void ASlowReplyIsWaitedForWithoutCountingTheEarlyResendsAgainstTheDeviceAndTheirLossIsTakenBack()
    {
        int delayNext = 0;
        using var device = new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        // The device's replies pass here: one of them is held back 500 ms, far beyond the learned round trip.
        device.Serve(FaultInjectingStream.Tap(deviceEnd, _ =>
        {
            if (Interlocked.Exchange(ref delayNext, 0) == 1)
            {
                Thread.Sleep(500);
            }

            return true;
        }));
        using var link = new LinkClient(hostEnd, "emulator", TimeSpan.FromSeconds(2), attempts: 1);
        for (int i = 0; i < 30; i++)
        {
            link.Request(FrameType.Status, []);
        }

        delayNext = 1;
        link.Request(FrameType.Status, []); // attempts: 1, yet the early resends do not use it up
        link.Request(FrameType.Status, []); // hears the duplicate replies to the resends

        Assert.True(link.Statistics.Timeouts >= 1);
        Assert.True(link.Statistics.SpuriousResends >= 1, $"{link.Statistics.SpuriousResends} spurious of {link.Statistics.Retransmissions} resends");
        Assert.Equal(0, link.Statistics.FrameErrors);
    }

    /// <summary>A timer that has seen a steady round trip.</summary>
    private sealed class RetransmitTimerBuilder
    {
        public RetransmitTimerBuilder(TimeSpan roundTrip)
        {
            for (int i = 0; i < 50; i++)
            {
                Timer.Sample(roundTrip, 200);
            }
        }

        public RetransmitTimer Timer { get; } = new();
    }
}
