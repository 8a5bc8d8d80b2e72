using System.Diagnostics;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Devices.Emulator;
using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>The host end of the link: sequence numbers, byte counts, and how each way of losing the device is reported.</summary>
public class LinkClientTests
{
    [Fact]
    public void ALinkNeedsAtLeastOneAttempt()
    {
        (LoopbackStream hostEnd, _) = LoopbackStream.CreatePair();

        Assert.Throws<ArgumentOutOfRangeException>(() => new LinkClient(hostEnd, "emulator", TimeSpan.FromSeconds(1), attempts: 0));
    }

    [Fact]
    public void SequenceNumbersRunFromOneTo255AndWrapToOneNeverZero()
    {
        // 0 is what the device puts on its unsequenced damage reports and what it remembers after
        // a reset, so a request must never carry it.
        var sequences = new List<byte>();
        using var device = new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        var recorded = new FaultInjectingStream(hostEnd, (_, wire) =>
        {
            sequences.Add(WireFrame.Read(wire)!.Value.Sequence);
            return wire;
        });
        using var link = new LinkClient(recorded, "emulator", TimeSpan.FromSeconds(2));

        for (int i = 0; i < 300; i++)
        {
            link.Request(FrameType.Reset, []);
        }

        Assert.Equal(Enumerable.Range(0, 300).Select(i => (byte)((i % 255) + 1)), sequences);
    }

    [Fact]
    public void BytesEachWayAreCountedAsTheyCrossTheWire()
    {
        using var device = new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        using var link = new LinkClient(hostEnd, "emulator", TimeSpan.FromSeconds(2));

        link.Request(FrameType.Hello, []);

        byte[] request = FrameCodec.Encode(new Frame(FrameType.Hello, 1, []));
        byte[] reply = FrameCodec.Encode(new Frame(FrameType.Hello | FrameType.ReplyFlag, 1, DeviceProfile.EmulatorDefault.Encode()));
        Assert.Equal(request.Length, link.Statistics.BytesSent);
        Assert.True(SpinWait.SpinUntil(() => link.Statistics.BytesReceived == reply.Length, TimeSpan.FromSeconds(5)), $"{link.Statistics.BytesReceived} received");
    }

    [Fact]
    public void ADamagedReplyIsAskedForAgainAtOnce()
    {
        using var device = new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(new FaultInjectingStream(deviceEnd, (index, wire) =>
        {
            if (index != 0)
            {
                return wire;
            }

            byte[] damaged = (byte[])wire.Clone();
            damaged[3] ^= 0x01;
            return damaged;
        }));
        using var link = new LinkClient(hostEnd, "emulator", TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();

        Assert.Equal(DeviceProfile.EmulatorDefault with { Capabilities = LinkCapabilities.ZeroRunCodec }, DeviceProfile.Decode(link.Request(FrameType.Hello, [])));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}: the host waited for the timeout");
        Assert.Equal(1, link.Statistics.CorruptedFrames);
        Assert.Equal(1, link.Statistics.Retransmissions);
    }

    [Fact]
    public void ALinkClosedAtTheFarEndIsReportedAsClosedWithoutWaitingOutEveryAttempt()
    {
        // Stream.Null is a far end that hung up: writes go nowhere, reads report the end of the stream.
        using var link = new LinkClient(Stream.Null, "board-3", TimeSpan.FromSeconds(5), attempts: 3);
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<DeviceTimeoutException>(() => link.Request(FrameType.Hello, []));

        // At most the attempt already waiting when the reader saw the end; not all three.
        Assert.Contains("board-3", error.Message);
        Assert.Contains("the link was closed", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void AStreamThatFailsWhileReadingClosesTheLink()
    {
        (LoopbackStream hostEnd, _) = LoopbackStream.CreatePair();
        using var link = new LinkClient(new FailingReads(hostEnd), "board-4", TimeSpan.FromSeconds(5), attempts: 3);

        var error = Assert.Throws<DeviceTimeoutException>(() => link.Request(FrameType.Hello, []));

        Assert.Contains("the link was closed", error.Message);
    }

    [Fact]
    public void AStreamThatFailsWhileWritingMakesTheDeviceUnreachable()
    {
        (LoopbackStream hostEnd, _) = LoopbackStream.CreatePair();
        var unplugged = new FaultInjectingStream(hostEnd, (_, _) => throw new IOException("cable pulled"));
        using var link = new LinkClient(unplugged, "board-5", TimeSpan.FromSeconds(5));

        var error = Assert.Throws<DeviceTimeoutException>(() => link.Request(FrameType.Hello, []));

        Assert.Contains("device 'board-5' cannot be reached: cable pulled", error.Message);
    }

    [Fact]
    public void EachRequestIsFlushedSoABufferingTransportSendsItAtOnce()
    {
        using var device = new LinkServer(new EmulatorEngine(DeviceProfile.EmulatorDefault));
        (LoopbackStream hostEnd, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        using var link = new LinkClient(new HeldUntilFlush(hostEnd), "emulator", TimeSpan.FromSeconds(1), attempts: 1);

        Assert.Equal(DeviceProfile.EmulatorDefault with { Capabilities = LinkCapabilities.ZeroRunCodec }, DeviceProfile.Decode(link.Request(FrameType.Hello, [])));
    }

    /// <summary>A transport whose reads fail, as a serial port does when the adapter is unplugged.</summary>
    private sealed class FailingReads(Stream inner) : PassThrough(inner)
    {
        public override int Read(Span<byte> buffer) => throw new IOException("adapter unplugged");
    }

    /// <summary>A transport that sends nothing until flushed, as buffered serial drivers do.</summary>
    private sealed class HeldUntilFlush(Stream inner) : PassThrough(inner)
    {
        private readonly List<byte> _held = [];

        public override void Write(ReadOnlySpan<byte> buffer) => _held.AddRange(buffer);

        public override void Flush()
        {
            Inner.Write([.. _held]);
            _held.Clear();
        }
    }

    private abstract class PassThrough(Stream inner) : Stream
    {
        protected Stream Inner => inner;

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
