using CoDesign.Runtime.Deploy;

namespace CoDesign.Runtime.Tests;

public class DeviceMemoryAllocatorTests
{
    [Fact]
    public void AllocatesAlignedFirstFitAndRefusesWhenFull()
    {
        var allocator = new DeviceMemoryAllocator(1000, 8);

        Assert.Equal(0, allocator.TryAllocate(10));
        Assert.Equal(16, allocator.TryAllocate(100));
        Assert.Equal(120, allocator.UsedBytes);
        Assert.Null(allocator.TryAllocate(900));
        Assert.Equal(880, allocator.LargestFree);
    }

    [Fact]
    public void ARegionAtAGivenAddressIsTakenOnlyWhenAllOfItIsFree()
    {
        var allocator = new DeviceMemoryAllocator(1000, 8);

        Assert.True(allocator.TryAllocateAt(0, 100));
        Assert.False(allocator.TryAllocateAt(96, 8));
        Assert.False(allocator.TryAllocateAt(204, 8));
        Assert.False(allocator.TryAllocateAt(960, 48));
        Assert.True(allocator.TryAllocateAt(200, 50));
        Assert.Equal(104, allocator.TryAllocate(96));
        Assert.Equal(256, allocator.TryAllocate(8));
        Assert.Equal(104 + 56 + 96 + 8, allocator.UsedBytes);

        allocator.Free(0);
        allocator.Free(200);
        Assert.Equal(0, allocator.TryAllocate(104));
    }

    [Fact]
    public void FreedNeighboursMergeSoALargeRegionFitsAgain()
    {
        var allocator = new DeviceMemoryAllocator(300, 4);
        int a = allocator.TryAllocate(100)!.Value;
        int b = allocator.TryAllocate(100)!.Value;
        int c = allocator.TryAllocate(100)!.Value;
        Assert.Null(allocator.TryAllocate(1));

        allocator.Free(a);
        allocator.Free(c);
        Assert.Null(allocator.TryAllocate(200));
        allocator.Free(b);

        Assert.Equal(0, allocator.TryAllocate(300));
    }

    [Fact]
    public void RandomAllocationsNeverOverlapAndFreeingEverythingRestoresTheWhole()
    {
        var random = new Random(3);
        var allocator = new DeviceMemoryAllocator(1 << 16, 8);
        var live = new Dictionary<int, int>();
        for (int step = 0; step < 2000; step++)
        {
            if (live.Count > 0 && random.Next(3) == 0)
            {
                int victim = live.Keys.ElementAt(random.Next(live.Count));
                allocator.Free(victim);
                live.Remove(victim);
                continue;
            }

            int size = random.Next(1, 4000);
            if (allocator.TryAllocate(size) is { } start)
            {
                Assert.Equal(0, start % 8);
                Assert.DoesNotContain(live, r => start < r.Key + r.Value && r.Key < start + size);
                live[start] = size;
            }
        }

        foreach (int start in live.Keys)
        {
            allocator.Free(start);
        }

        Assert.Equal(1 << 16, allocator.LargestFree);
        Assert.Throws<InvalidOperationException>(() => allocator.Free(8));
    }
}
