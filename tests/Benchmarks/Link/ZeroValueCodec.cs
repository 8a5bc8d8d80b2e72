namespace CoDesign.Benchmarks.Link;

/// <summary>
/// Zero-value compression as cDMA describes it, the alternative the link's zero-run codec was
/// measured against: per group of 8 bytes a mask byte (bit i set: byte i is nonzero), then the
/// group's nonzero bytes. The decoded length travels separately (here: known to the caller).
/// </summary>
internal static class ZeroValueCodec
{
    public static byte[] Encode(ReadOnlySpan<byte> data)
    {
        var output = new byte[data.Length + ((data.Length + 7) / 8)];
        int length = 0;
        for (int group = 0; group < data.Length; group += 8)
        {
            int maskAt = length++;
            byte mask = 0;
            for (int i = 0; i < 8 && group + i < data.Length; i++)
            {
                if (data[group + i] != 0)
                {
                    mask |= (byte)(1 << i);
                    output[length++] = data[group + i];
                }
            }

            output[maskAt] = mask;
        }

        return output[..length];
    }

    public static byte[] Decode(ReadOnlySpan<byte> encoded, int length)
    {
        var output = new byte[length];
        for (int group = 0, at = 0; group < length; group += 8)
        {
            byte mask = encoded[at++];
            for (int i = 0; i < 8 && group + i < length; i++)
            {
                if ((mask & (1 << i)) != 0)
                {
                    output[group + i] = encoded[at++];
                }
            }
        }

        return output;
    }
}
