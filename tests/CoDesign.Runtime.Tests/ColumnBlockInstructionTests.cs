using CoDesign.Model;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Devices;

namespace CoDesign.Runtime.Tests;

/// <summary>The column-block instruction a memory plan compiles (opcode 2 with its flags) and the Hello byte that says a device runs it.</summary>
public class ColumnBlockInstructionTests
{
    [Fact]
    public void ABlockInstructionKeepsItsFlagsAndFirstColumn()
    {
        var ins = new LayerInstruction(LayerOutput.ReluActivations8, 7, 16, 4, 256, 98, 64, 0, 96, BlockFlags.Accumulate | BlockFlags.Hold | BlockFlags.ChainIn, 196);
        var bytes = new byte[LayerInstruction.Size];
        ins.Encode(bytes);

        Assert.Equal(LayerInstruction.SparseFullyConnectedBlock, bytes[0]);
        Assert.Equal(ins, LayerInstruction.Decode(bytes));
    }

    [Fact]
    public void AWholeLayerIsStillOpcode1AndFlagsThatDisagreeWithTheOpcodeAreRefused()
    {
        var bytes = new byte[LayerInstruction.Size];
        new LayerInstruction(LayerOutput.Raw32, 0, 16, 4, 10, 128, 64, 96, 128).Encode(bytes);
        Assert.Equal(LayerInstruction.SparseFullyConnected, bytes[0]);
        Assert.Equal(0, bytes[6]);

        bytes[6] = (byte)BlockFlags.Hold;                    // flags on a whole layer
        Assert.Null(LayerInstruction.Decode(bytes));
        bytes[0] = LayerInstruction.SparseFullyConnectedBlock;
        bytes[6] = 0;                                         // a block without flags
        Assert.Null(LayerInstruction.Decode(bytes));
        bytes[6] = 0x10;                                      // a flag no engine knows
        Assert.Null(LayerInstruction.Decode(bytes));
    }

    [Fact]
    public void HelloByte30CarriesTheEngineFeatures()
    {
        DeviceProfile profile = DeviceProfile.EmulatorDefault;
        byte[] hello = profile.Encode();

        Assert.Equal((byte)EngineFeatures.ColumnBlocks, hello[30]);
        Assert.Equal(profile, DeviceProfile.Decode(hello));
        hello[30] = 0;
        Assert.Equal(EngineFeatures.None, DeviceProfile.Decode(hello).Features);
    }

    [Fact]
    public void HelloByte31CarriesTheModelSlots()
    {
        DeviceProfile profile = DeviceProfile.EmulatorDefault with { ModelSlots = 16 };
        byte[] hello = profile.Encode();

        Assert.Equal(16, hello[31]);
        Assert.Equal(profile, DeviceProfile.Decode(hello));
        Assert.Equal(0, DeviceProfile.EmulatorDefault.Encode()[31]); // no limit, as from a device built before the field
    }
}
