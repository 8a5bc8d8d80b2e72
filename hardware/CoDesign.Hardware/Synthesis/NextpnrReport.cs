using System.Text.Json;

namespace CoDesign.Hardware.Synthesis;

/// <summary>Reads nextpnr's <c>--report</c> JSON.</summary>
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
}
