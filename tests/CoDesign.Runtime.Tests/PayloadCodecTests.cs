using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Tests;

/// <summary>The fixed-layout payloads (Run reply, Run request header, device status) read back what was written, and refuse wrong sizes.</summary>
public class PayloadCodecTests
{
    [Fact]
    public void ARunReplyRoundTripsEveryField()
    {
        var reply = new RunReply(2, 3, 1_000_000_007, 5_000_000_011, 7_000_000_013, 9_000_000_019, [1, -2, 3, int.MaxValue, int.MinValue, 0]);

        RunReply back = RunReply.Decode(reply.Encode());

        Assert.Equal((2, 3), (back.Count, back.OutputSize));
        Assert.Equal((reply.Cycles, reply.Entries, reply.ShiftAddSteps, reply.Broadcasts), (back.Cycles, back.Entries, back.ShiftAddSteps, back.Broadcasts));
        Assert.Equal(reply.Outputs, back.Outputs);
    }

    [Fact]
    public void ARunReplyOfJustItsHeaderHoldsNoOutputs()
    {
        RunReply back = RunReply.Decode(new RunReply(0, 10, 1, 2, 3, 4, []).Encode());

        Assert.Equal(RunReply.HeaderSize, (int)RunReply.PayloadSize(0, 10));
        Assert.Empty(back.Outputs);
    }

    [Fact]
    public void ARunReplyShorterThanItsHeaderOrDisagreeingWithItIsRefused()
    {
        byte[] good = new RunReply(2, 3, 0, 0, 0, 0, new int[6]).Encode();

        var shortError = Assert.Throws<InvalidDataException>(() => RunReply.Decode(good.AsSpan(0, RunReply.HeaderSize - 1)));
        var sizeError = Assert.Throws<InvalidDataException>(() => RunReply.Decode(good.AsSpan(0, good.Length - 4)));

        Assert.Contains("39 bytes is shorter than its header", shortError.Message);
        Assert.Contains("does not hold 2 x 3 outputs", sizeError.Message);
    }

    [Fact]
    public void ARunRequestHeaderNeedsAllEightBytes()
    {
        byte[] request = RunRequest.Encode(0x1234, 7, [9, 9]);

        Assert.Equal((0x1234, 7), RunRequest.DecodeHeader(request));
        Assert.Equal((0x1234, 7), RunRequest.DecodeHeader(request.AsSpan(0, RunRequest.HeaderSize)));
        Assert.Null(RunRequest.DecodeHeader(request.AsSpan(0, RunRequest.HeaderSize - 1)));
    }

    [Fact]
    public void DeviceStatusRoundTripsEveryFieldAndRefusesOtherSizes()
    {
        var status = new DeviceStatus(3, 5, 70_000_000_000, 11);

        Assert.Equal(status, DeviceStatus.Decode(status.Encode()));
        var error = Assert.Throws<InvalidDataException>(() => DeviceStatus.Decode(new byte[DeviceStatus.Size + 1]));
        Assert.Contains("25 bytes, expected 24", error.Message);
    }
}
