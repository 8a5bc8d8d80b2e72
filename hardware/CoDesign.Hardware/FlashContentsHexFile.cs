using System.Globalization;
using System.Text;
using CoDesign.Model.Files;

namespace CoDesign.Hardware;

/// <summary>
/// The contents of a simulated SPI flash chip (<c>hardware/sim/spi_flash_model.v</c>, read by
/// <c>$readmemh</c>): one byte per line in two hex digits, with an <c>@address</c> line wherever erased
/// bytes (0xFF, the model's power-on value) were left out, so a flash with a bitstream at 0 and a model
/// at 1 MiB is a short file.
/// </summary>
public static class FlashContentsHexFile
{
    /// <summary>
    /// Writes <paramref name="flash"/> (address 0 first) to <paramref name="path"/> through a temporary
    /// file in the same folder (see <see cref="OutputFile"/>); the folder must exist.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> flash)
    {
        var text = new StringBuilder();
        bool skipped = true;
        for (int i = 0; i < flash.Length; i++)
        {
            if (flash[i] == 0xFF)
            {
                skipped = true;
                continue;
            }

            if (skipped)
            {
                text.Append('@').Append(i.ToString("x", CultureInfo.InvariantCulture)).Append('\n');
                skipped = false;
            }

            text.Append(flash[i].ToString("x2", CultureInfo.InvariantCulture)).Append('\n');
        }

        OutputFile.WriteAtomically(path, "flash contents file", Encoding.ASCII.GetBytes(text.ToString()));
    }
}
