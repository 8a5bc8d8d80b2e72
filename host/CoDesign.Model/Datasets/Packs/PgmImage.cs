using System.Text;

namespace CoDesign.Model.Datasets.Packs;

/// <summary>
/// Binary PGM (P5, 8-bit) images, the one format of the image folders that StbImageSharp does not read.
/// </summary>
internal static class PgmImage
{
    /// <summary>Whether <paramref name="bytes"/> start as a binary PGM.</summary>
    public static bool Is(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 'P' && bytes[1] == '5';

    /// <summary>The image's size and pixels; <see cref="InvalidDataException"/> when it is not a P5 image with a maximum of 255 at most.</summary>
    public static (int Width, int Height, byte[] Pixels) Decode(byte[] bytes)
    {
        int at = 2;
        int width = Field(bytes, ref at);
        int height = Field(bytes, ref at);
        int maximum = Field(bytes, ref at);
        if (maximum is < 1 or > 255)
        {
            throw new InvalidDataException($"PGM maximum {maximum} is not 1..255 (only 8-bit PGM is read)");
        }

        // One whitespace byte ends the header; the pixels follow, row by row.
        at++;
        if ((long)width * height != bytes.Length - at)
        {
            throw new InvalidDataException($"PGM of {width} x {height} has {bytes.Length - at} pixel bytes");
        }

        return (width, height, bytes[at..]);
    }

    private static int Field(byte[] bytes, ref int at)
    {
        while (at < bytes.Length && (char.IsWhiteSpace((char)bytes[at]) || bytes[at] == '#'))
        {
            if (bytes[at] == '#')
            {
                while (at < bytes.Length && bytes[at] != '\n')
                {
                    at++;
                }
            }
            else
            {
                at++;
            }
        }

        int start = at;
        while (at < bytes.Length && bytes[at] is >= (byte)'0' and <= (byte)'9' && at - start < 6)
        {
            at++;
        }

        return at > start && int.TryParse(Encoding.ASCII.GetString(bytes, start, at - start), out int value) && value > 0
            ? value
            : throw new InvalidDataException("PGM header is not P5 WIDTH HEIGHT MAXIMUM");
    }
}
