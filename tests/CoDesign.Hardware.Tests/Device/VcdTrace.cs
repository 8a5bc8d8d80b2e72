using System.Globalization;

namespace CoDesign.Hardware.Tests.Device;

/// <summary>
/// The value changes of chosen one-bit signals in a VCD file (as Verilator's tracer writes it),
/// read in one pass without keeping the rest: enough to check what a waveform shows.
/// </summary>
internal sealed class VcdTrace
{
    private readonly Dictionary<string, List<(long Time, char Value)>> _changes;

    private VcdTrace(Dictionary<string, List<(long Time, char Value)>> changes) => _changes = changes;

    /// <summary>Reads <paramref name="path"/>, keeping the signals whose dotted scope path ends with one of <paramref name="suffixes"/>.</summary>
    public static VcdTrace Read(string path, params string[] suffixes)
    {
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);  // VCD code -> suffix
        var changes = suffixes.ToDictionary(s => s, _ => new List<(long, char)>());
        var scopes = new List<string>();
        long time = 0;
        foreach (string line in File.ReadLines(path))
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            switch (words[0])
            {
                case "$scope":
                    scopes.Add(words[2]);
                    break;
                case "$upscope":
                    scopes.RemoveAt(scopes.Count - 1);
                    break;
                case "$var" when words[2] == "1":
                    string full = string.Join('.', scopes.Append(words[4]));
                    foreach (string suffix in suffixes.Where(s => full.EndsWith("." + s, StringComparison.Ordinal)))
                    {
                        wanted.TryAdd(words[3], suffix);
                    }

                    break;
                default:
                    if (words[0][0] == '#')
                    {
                        time = long.Parse(words[0].AsSpan(1), CultureInfo.InvariantCulture);
                    }
                    else if (words[0].Length > 1 && words[0][0] is '0' or '1' or 'x' && wanted.TryGetValue(words[0][1..], out string? signal))
                    {
                        changes[signal].Add((time, words[0][0]));
                    }

                    break;
            }
        }

        return new VcdTrace(changes);
    }

    /// <summary>Times at which <paramref name="signal"/> rose to 1.</summary>
    public IReadOnlyList<long> Rises(string signal) => [.. _changes[signal].Where(c => c.Value == '1').Select(c => c.Time)];

    /// <summary>Time units <paramref name="signal"/> spent at 1, up to its last change.</summary>
    public long TimeHigh(string signal)
    {
        long high = 0;
        List<(long Time, char Value)> list = _changes[signal];
        for (int i = 0; i + 1 < list.Count; i++)
        {
            high += list[i].Value == '1' ? list[i + 1].Time - list[i].Time : 0;
        }

        return high;
    }
}
