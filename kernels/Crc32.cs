namespace CoDesign.Kernels;

/// <summary>
/// CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF),
/// one bit per step so that the same loop maps to a serial LFSR in hardware. Protects link frames
/// and model file sections.
/// </summary>
public static class Crc32
{
    /// <summary>Register value before the first byte.</summary>
    public const uint Initial = 0xFFFF_FFFF;

    /// <summary>Feeds bytes into a running CRC register (start from <see cref="Initial"/>).</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            crc = UpdateByte(crc, data[i]);
        }

        return crc;
    }

    /// <summary>
    /// One byte into the register: XOR it into the low bits, then eight shift-and-conditionally-XOR
    /// steps. The kernel compiler unrolls the steps into one combinational network, the link's CRC
    /// module (hardware/rtl/generated/crc32_update_byte.v).
    /// </summary>
    public static uint UpdateByte(uint crc, byte data)
    {
        crc ^= data;
        for (int bit = 0; bit < 8; bit++)
        {
            uint mask = 0u - (crc & 1u);
            crc = (crc >> 1) ^ (0xEDB8_8320u & mask);
        }

        return crc;
    }

    /// <summary>The finished CRC of a running register.</summary>
    public static uint Finish(uint crc) => ~crc;

    /// <summary>CRC-32 of a whole buffer.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Initial, data));
}
