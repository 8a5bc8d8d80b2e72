using CoDesign.Runtime.Deploy;

namespace CoDesign.Runtime.Tests;

/// <summary>The allocator refuses meaningless requests outright and reports its free space truthfully.</summary>
public class AllocatorArgumentTests
{
    [Fact]
    public void EmptyMemoryZeroAlignmentNegativeAddressesAndEmptyRegionsAreRefused()
    {
        var allocator = new DeviceMemoryAllocator(64, 8);

        Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceMemoryAllocator(0, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceMemoryAllocator(64, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.TryAllocate(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.TryAllocateAt(-8, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.TryAllocateAt(0, 0));
        Assert.Equal(0, allocator.UsedBytes);
    }

    [Fact]
    public void FreeingAnAddressThatStartsNoRegionNamesIt()
    {
        var allocator = new DeviceMemoryAllocator(64, 8);
        Assert.Equal(0, allocator.TryAllocate(16));

        var error = Assert.Throws<InvalidOperationException>(() => allocator.Free(8));

        Assert.Contains("no allocated region starts at 8", error.Message);
    }

    [Fact]
    public void LargestFreeIsTheBiggestHoleAndZeroWhenFull()
    {
        var allocator = new DeviceMemoryAllocator(96, 8);
        Assert.True(allocator.TryAllocateAt(16, 8)); // holes: [0, 16) and [24, 96)

        Assert.Equal(72, allocator.LargestFree);

        Assert.True(allocator.TryAllocateAt(0, 16));
        Assert.True(allocator.TryAllocateAt(24, 72));
        Assert.Equal(0, allocator.LargestFree);
    }
}
