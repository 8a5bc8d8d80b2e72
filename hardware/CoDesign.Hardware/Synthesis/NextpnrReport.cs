using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoDesign.Hardware.Synthesis;

/// <summary>Reads nextpnr's <c>--report</c> JSON and its log.</summary>
public static class NextpnrReport
{
    /// <summary>
    /// The achieved clock frequency in MHz. The report's <c>fmax</c> maps each clock net (e.g.
    /// <c>clk$SB_IO_IN_$glb_clk</c>) to <c>{"achieved": MHz, "constraint": MHz}</c>; a design that
    /// divides its clock has several, and the slowest counts. <see cref="double.PositiveInfinity"/>
    /// when there is no clocked path.
    /// </summary>
    public static double ClockFmax(string reportJson)
    {
        using JsonDocument report = JsonDocument.Parse(reportJson);
        if (!report.RootElement.TryGetProperty("fmax", out JsonElement fmax))
        {
            return double.PositiveInfinity;
        }

        double[] clocks = [.. fmax.EnumerateObject().Select(c => c.Value.GetProperty("achieved").GetDouble())];
        return clocks.Length == 0 ? double.PositiveInfinity : clocks.Min();
    }

    /// <summary>
    /// The source lines the clock's critical path passes through, in path order and each once, read
    /// from nextpnr's log: its report of that path names, for every cell on it, the lines of the
    /// sources the cell came from (Yosys keeps them as <c>src</c> attributes). Only lines of the
    /// files named in <paramref name="fileNames"/> count (not the wrapper or Yosys's cell library).
    /// </summary>
    public static IReadOnlyList<SourceLine> CriticalPath(string log, IEnumerable<string> fileNames)
    {
        var path = new List<SourceLine>();
        var reference = new Regex(@"(?:^|[\s/])(" + string.Join('|', fileNames.Select(Regex.Escape)) + @"):(\d+)\.");
        bool inPath = false;
        foreach (string line in log.Split('\n'))
        {
            if (line.Contains("Critical path report for clock", StringComparison.Ordinal))
            {
                inPath = true;
                continue;
            }

            if (inPath && string.IsNullOrWhiteSpace(line))
            {
                break;
            }

            if (inPath && reference.Match(line) is { Success: true } match)
            {
                var at = new SourceLine(match.Groups[1].Value, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
                if (!path.Contains(at))
                {
                    path.Add(at);
                }
            }
        }

        return path;
    }
}
