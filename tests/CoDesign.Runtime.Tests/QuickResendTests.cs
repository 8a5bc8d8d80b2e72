using System.Diagnostics;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>
/// A damage report from the device makes the host resend at once instead of waiting out the timeout;
/// on a link that damages everything those quick resends are bounded (16 per request), so the
/// device is still declared unreachable after the usual attempts.
/// </summary>
public class QuickResendTests
{
    [Fact]
    public void ARequestDamagedOnceIsResentWithoutWaitingForTheTimeout()
    {
        using var device = new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        var tampered = new FaultInjectingStream(hostEnd, (index, wire) => index == 0 ? Damage(wire) : wire);
        using var link = new LinkClient(tampered, "emulator", TimeSpan.FromSeconds(20), attempts: 2);
        var clock = Stopwatch.StartNew();

        byte[] hello = link.Request(FrameType.Hello, []);

        Assert.Equal(DeviceProfile.EmulatorDefault with { Capabilities = LinkCapabilities.ZeroRunCodec }, DeviceProfile.Decode(hello));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(2, tampered.Writes);
        Assert.Equal(1, link.Statistics.Retransmissions);
    }

    [Fact]
    public void ALinkThatDamagesEveryRequestGetsSixteenQuickResendsThenTheTimedAttempts()
    {
        using var device = new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        var tampered = new FaultInjectingStream(hostEnd, (_, wire) => Damage(wire));
        // A timeout long enough that a loaded machine still answers every quick resend within it.
        using var link = new LinkClient(tampered, "emulator", TimeSpan.FromSeconds(1), attempts: 2);

        var error = Assert.Throws<DeviceTimeoutException>(() => link.Request(FrameType.Hello, []));

        // 16 resends answered by damage reports, then 2 attempts that each wait out the timeout
        // (damage reports are ignored once the quick resends are spent).
        Assert.Contains("2 attempts", error.Message);
        Assert.Equal(16 + 2, tampered.Writes);
        Assert.Equal(16 + 2 - 1, link.Statistics.Retransmissions);
        Assert.Equal(16 + 2, device.CorruptedFrames);
    }

    private static byte[] Damage(byte[] wire)
    {
        byte[] damaged = (byte[])wire.Clone();
        damaged[damaged.Length / 2] ^= 0x04;
        return damaged;
    }
}
