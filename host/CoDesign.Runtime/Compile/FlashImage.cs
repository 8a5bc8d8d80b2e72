using System.Buffers.Binary;
using CoDesign.Kernels;
using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Compile;

/// <summary>
/// A device image as a board's SPI flash holds it for the build to copy into its weight memory at
/// power-up (<c>hardware/rtl/flash_boot_loader.v</c>): at <see cref="Offset"/>, a 20-byte header, then
/// the image's bytes. The header is the magic <c>"CDSF"</c>, <c>u32</c> version 1, and the Commit
/// request the boot loader hands to the controller (<c>u32</c> address 0, <c>u32</c> length,
/// <c>u32</c> CRC-32 of the image), all little-endian. The flash's first bytes are the bitstream.
/// </summary>
public sealed class FlashImage
{
    /// <summary>
    /// Where the header starts in flash: 1 MiB, past the UP5K's 104,090-byte bitstream (and room for
    /// a larger one), on a 64 KiB erase-block boundary, so writing the image never erases the
    /// bitstream's blocks. The iCEBreaker's flash has 16 MiB.
    /// </summary>
    public const int Offset = 0x10_0000;

    /// <summary>Header bytes before the image.</summary>
    public const int HeaderSize = 8 + CommitRequest.Size;

    /// <summary>The header's version.</summary>
    public const uint Version = 1;

    /// <summary>The header's first four bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "CDSF"u8;

    private readonly byte[] _image;

    private FlashImage(byte[] image, uint checksum)
    {
        _image = image;
        Checksum = checksum;
    }

    /// <summary>The device image's bytes as they will stand in device memory from address 0.</summary>
    public ReadOnlySpan<byte> Image => _image;

    /// <summary>Bytes of the device image.</summary>
    public int Length => _image.Length;

    /// <summary>CRC-32 of the device image, as a Commit carries it.</summary>
    public uint Checksum { get; }

    /// <summary>
    /// The flash image of <paramref name="image"/> (compiled for the board, with all its chunks still
    /// held). Throws <see cref="InvalidOperationException"/> when chunks have been released.
    /// </summary>
    public static FlashImage Of(DeviceImage image) => new(image.ToMemoryBytes(), image.Checksum);

    /// <summary>The header and the image: what goes into flash at <see cref="Offset"/>.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[HeaderSize + _image.Length];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), Version);
        CommitRequest.Encode(0, _image.Length, Checksum).CopyTo(bytes, 8);
        _image.CopyTo(bytes, HeaderSize);
        return bytes;
    }

    /// <summary>
    /// The whole flash from address 0: <paramref name="bitstream"/>, erased bytes (0xFF) up to
    /// <see cref="Offset"/>, then <see cref="Encode"/>. Throws <see cref="ArgumentException"/> when the
    /// bitstream reaches the offset.
    /// </summary>
    public byte[] WithBitstream(ReadOnlySpan<byte> bitstream)
    {
        if (bitstream.Length > Offset)
        {
            throw new ArgumentException($"the bitstream has {bitstream.Length:N0} bytes; the model's image starts at flash offset {Offset:N0} (0x{Offset:X})", nameof(bitstream));
        }

        byte[] encoded = Encode();
        var flash = new byte[Offset + encoded.Length];
        flash.AsSpan(bitstream.Length, Offset - bitstream.Length).Fill(0xFF);
        bitstream.CopyTo(flash);
        encoded.CopyTo(flash, Offset);
        return flash;
    }

    /// <summary>
    /// Reads the flash image from a flash's contents (address 0 first), checking what the boot loader
    /// and the Commit check: magic, version, address 0, a length within <paramref name="capacity"/>
    /// (the device's weight memory) and within the contents, and the image's CRC-32. Throws
    /// <see cref="FormatException"/> saying which check failed.
    /// </summary>
    public static FlashImage ReadFromFlash(ReadOnlySpan<byte> flash, int capacity)
    {
        if (flash.Length < Offset + HeaderSize)
        {
            throw new FormatException($"the flash contents have {flash.Length:N0} bytes; a model's header ends at {Offset + HeaderSize:N0}");
        }

        ReadOnlySpan<byte> header = flash.Slice(Offset, HeaderSize);
        if (!header[..4].SequenceEqual(Magic))
        {
            throw new FormatException($"no model image in the flash: offset 0x{Offset:X} does not start with \"CDSF\"");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        (uint address, uint length, uint checksum) = CommitRequest.Decode(header[8..]);
        if (version != Version)
        {
            throw new FormatException($"the flash's model image has version {version}; this program reads version {Version}");
        }

        if (address != 0)
        {
            throw new FormatException($"the flash's model image is for address {address}; the boot loader copies to address 0");
        }

        if (length == 0 || length > (uint)capacity || length > (uint)(flash.Length - Offset - HeaderSize))
        {
            throw new FormatException($"the flash's model image claims {length:N0} bytes; the device holds {capacity:N0} and the contents {flash.Length - Offset - HeaderSize:N0}");
        }

        byte[] image = flash.Slice(Offset + HeaderSize, (int)length).ToArray();
        uint actual = Crc32.Compute(image);
        if (actual != checksum)
        {
            throw new FormatException($"the flash's model image has CRC-32 0x{actual:X8}; its header says 0x{checksum:X8}");
        }

        return new FlashImage(image, checksum);
    }
}
