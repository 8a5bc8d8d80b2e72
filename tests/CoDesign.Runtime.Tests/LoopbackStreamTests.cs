using CoDesign.Runtime.Link;
using CoDesign.TestSupport;

namespace CoDesign.Runtime.Tests;

/// <summary>The in-memory wire: order-preserving for any write size, and end-of-stream when either end closes.</summary>
public class LoopbackStreamTests
{
    [Fact]
    public void AWriteLargerThanTwiceTheBufferArrivesWhole()
    {
        (LoopbackStream a, LoopbackStream b) = LoopbackStream.CreatePair();
        byte[] sent = Pattern(200_000, 1);

        a.Write(sent);

        Assert.Equal(sent, ReadExactly(b, sent.Length));
    }

    [Fact]
    public void DataThatWrapsAroundTheBufferEndAndThenGrowsItKeepsItsOrder()
    {
        (LoopbackStream a, LoopbackStream b) = LoopbackStream.CreatePair();

        // 50,000 in and out leaves the read position near the end of the 64 KiB buffer; the next
        // 30,000 wrap around it, and 40,000 more force it to grow while wrapped.
        a.Write(Pattern(50_000, 2));
        ReadExactly(b, 50_000);
        byte[] wrapped = Pattern(30_000, 3);
        byte[] more = Pattern(40_000, 4);
        a.Write(wrapped);
        a.Write(more);

        Assert.Equal([.. wrapped, .. more], ReadExactly(b, 70_000));
    }

    [Fact]
    public void GrowingWhileMostOfTheDataSitsBeforeTheBufferEndKeepsItsOrder()
    {
        (LoopbackStream a, LoopbackStream b) = LoopbackStream.CreatePair();

        // Read position at 10,000; 60,000 bytes run past the end of the 64 KiB buffer and wrap,
        // then 10,000 more make it grow with the larger part of the data before the end.
        a.Write(Pattern(10_000, 7));
        ReadExactly(b, 10_000);
        byte[] wrapped = Pattern(60_000, 8);
        byte[] more = Pattern(10_000, 9);
        a.Write(wrapped);
        a.Write(more);

        Assert.Equal([.. wrapped, .. more], ReadExactly(b, 70_000));
    }

    [Fact]
    public void AReadAcrossTheBufferEndGetsBothPiecesInOneCall()
    {
        (LoopbackStream a, LoopbackStream b) = LoopbackStream.CreatePair();
        a.Write(Pattern(60_000, 5));
        ReadExactly(b, 60_000);
        byte[] wrapped = Pattern(10_000, 6);
        a.Write(wrapped);

        var buffer = new byte[20_000];
        int read = b.Read(buffer);

        Assert.Equal(10_000, read);
        Assert.Equal(wrapped, buffer[..read]);
    }

    [Fact]
    public void ClosingOneEndEndsTheOthersReadsAndRefusesItsOwnWrites()
    {
        (LoopbackStream a, LoopbackStream b) = LoopbackStream.CreatePair();
        a.Write([1, 2, 3]);

        a.Dispose();

        Assert.Equal([1, 2, 3], ReadExactly(b, 3));
        Assert.True(ReachesEndOfStream(b));
        var error = Assert.Throws<IOException>(() => a.Write([4]));
        Assert.Contains("closed", error.Message);
    }

    [Fact]
    public void ItIsADuplexStreamWithoutSeeking()
    {
        (LoopbackStream a, _) = LoopbackStream.CreatePair();
        var tampered = new FaultInjectingStream(a, (_, bytes) => bytes);

        Assert.True(a.CanRead);
        Assert.True(a.CanWrite);
        Assert.False(a.CanSeek);
        Assert.False(tampered.CanSeek);
    }

    [Fact]
    public void DisposingAFaultInjectingStreamClosesTheStreamItWraps()
    {
        (LoopbackStream a, LoopbackStream b) = LoopbackStream.CreatePair();
        var tampered = new FaultInjectingStream(a, (_, bytes) => bytes);

        tampered.Dispose();

        Assert.True(ReachesEndOfStream(b));
    }

    [Fact]
    public void ADroppedFrameNeverTouchesTheWrappedStream()
    {
        (LoopbackStream a, _) = LoopbackStream.CreatePair();
        a.Dispose(); // from now on any write to it throws, even an empty one
        var dropping = new FaultInjectingStream(a, (_, _) => []);

        dropping.Write([1, 2, 3]);

        Assert.Equal(1, dropping.Writes);
    }

    // A read that returns 0 (end of stream) rather than blocking; a broken close would block for good.
    private static bool ReachesEndOfStream(Stream stream)
    {
        var read = Task.Run(() => stream.Read(new byte[8]));
        return read.Wait(TimeSpan.FromSeconds(5)) && read.Result == 0;
    }

    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] ReadExactly(Stream stream, int length)
    {
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
