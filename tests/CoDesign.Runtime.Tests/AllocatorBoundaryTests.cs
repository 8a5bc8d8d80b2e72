using CoDesign.Runtime.Deploy;

namespace CoDesign.Runtime.Tests;

/// <summary>The allocator at the edges of its regions: regions that touch, that fill a hole exactly, that end at the capacity.</summary>
public class AllocatorBoundaryTests
{
    [Fact]
    public void ARegionCanBeTakenAtExactlyTheStartOfAFreeRegion()
    {
        var allocator = new DeviceMemoryAllocator(1000, 8);
        Assert.Equal(0, allocator.TryAllocate(100)); // used: [0, 104)

        Assert.True(allocator.TryAllocateAt(104, 8));
        Assert.False(allocator.TryAllocateAt(104, 8));
        Assert.Equal(112, allocator.TryAllocate(1));
    }

    [Fact]
    public void ARegionCanEndExactlyAtTheCapacityButNotOneWordPast()
    {
        var allocator = new DeviceMemoryAllocator(1000, 8);

        Assert.False(allocator.TryAllocateAt(992, 9));
        Assert.True(allocator.TryAllocateAt(992, 8));
        Assert.Equal(8, allocator.UsedBytes);
        Assert.Equal(992, allocator.LargestFree);
    }

    [Fact]
    public void ARegionThatFillsAHoleExactlyLeavesNoFreeSpaceBehind()
    {
        var allocator = new DeviceMemoryAllocator(96, 8);
        Assert.True(allocator.TryAllocateAt(0, 32));
        Assert.True(allocator.TryAllocateAt(64, 32));

        Assert.True(allocator.TryAllocateAt(32, 32));

        Assert.Equal(0, allocator.LargestFree);
        Assert.Null(allocator.TryAllocate(1));
    }

    [Fact]
    public void FreeingARegionBetweenTwoFreeNeighboursMergesAllThree()
    {
        var allocator = new DeviceMemoryAllocator(96, 8);
        int a = allocator.TryAllocate(32)!.Value;
        int b = allocator.TryAllocate(32)!.Value;
        int c = allocator.TryAllocate(32)!.Value;
        allocator.Free(a);
        allocator.Free(c);
        Assert.Equal(32, allocator.LargestFree);

        allocator.Free(b);

        Assert.Equal(96, allocator.LargestFree);
        Assert.True(allocator.TryAllocateAt(8, 80)); // spans what were three regions
    }

    [Fact]
    public void AFreedRegionMergesOnlyWithANeighbourThatTouchesIt()
    {
        var allocator = new DeviceMemoryAllocator(96, 8);
        int a = allocator.TryAllocate(16)!.Value; // [0, 16)
        Assert.Equal(16, allocator.TryAllocate(16)); // [16, 32)
        int c = allocator.TryAllocate(16)!.Value; // [32, 48), then [48, 96) free
        allocator.Free(a);

        // c's lower neighbour b is still in use: freeing c joins it to the space above, not to a.
        allocator.Free(c);

        Assert.Equal(64, allocator.LargestFree);
        Assert.Equal(16, allocator.UsedBytes);
        Assert.False(allocator.TryAllocateAt(0, 32));
        Assert.True(allocator.TryAllocateAt(32, 64));
        Assert.Equal(0, allocator.TryAllocate(16));
    }

    [Fact]
    public void TheRegionAtAddressZeroMergesWithTheFreeSpaceAfterIt()
    {
        var allocator = new DeviceMemoryAllocator(64, 8);
        Assert.True(allocator.TryAllocateAt(0, 16));
        Assert.True(allocator.TryAllocateAt(48, 16));

        allocator.Free(0);

        Assert.Equal(48, allocator.LargestFree);
        Assert.Equal(0, allocator.TryAllocate(48));
    }
}
