using System.Text.Json;

namespace CoDesign.Hardware.Synthesis;

/// <summary>
/// A module of Yosys's JSON netlist (<c>write_json</c>, as <c>synth_ice40 -json</c> writes it): its
/// ports with widths, which inputs are clocks, and its cells counted by type.
/// </summary>
internal sealed class YosysNetlist
{
    // Pins that take a clock, per iCE40 primitive family (the flip-flop variants all call it C).
    private static readonly string[] ClockPins = ["C", "RCLK", "WCLK", "CLK", "CLOCK"];

    private YosysNetlist(IReadOnlyList<SynthesisPort> ports, IReadOnlyDictionary<string, int> cells)
    {
        Ports = ports;
        CellsByType = cells;
    }

    /// <summary>The module's ports in declaration order.</summary>
    public IReadOnlyList<SynthesisPort> Ports { get; }

    /// <summary>Cell counts by type (SB_LUT4, SB_DFFE, ...).</summary>
    public IReadOnlyDictionary<string, int> CellsByType { get; }

    /// <summary>Cells whose type starts with <paramref name="prefix"/>.</summary>
    public int Count(string prefix) => CellsByType.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(c => c.Value);

    /// <summary>Reads module <paramref name="top"/> from the JSON text <paramref name="json"/>.</summary>
    public static YosysNetlist Parse(string json, string top)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        if (!document.RootElement.GetProperty("modules").TryGetProperty(top, out JsonElement module))
        {
            throw new InvalidOperationException($"Yosys's netlist has no module '{top}'");
        }

        var cells = new Dictionary<string, int>(StringComparer.Ordinal);
        var clockBits = new HashSet<string>(StringComparer.Ordinal);
        if (module.TryGetProperty("cells", out JsonElement cellList))
        {
            foreach (JsonProperty cell in cellList.EnumerateObject())
            {
                string type = cell.Value.GetProperty("type").GetString() ?? "";
                cells[type] = cells.GetValueOrDefault(type) + 1;
                if (!cell.Value.TryGetProperty("connections", out JsonElement connections))
                {
                    continue;
                }

                foreach (string pin in ClockPins)
                {
                    if (connections.TryGetProperty(pin, out JsonElement bits))
                    {
                        clockBits.UnionWith(bits.EnumerateArray().Select(b => b.ToString()));
                    }
                }
            }
        }

        var ports = new List<SynthesisPort>();
        foreach (JsonProperty port in module.GetProperty("ports").EnumerateObject())
        {
            string[] bits = [.. port.Value.GetProperty("bits").EnumerateArray().Select(b => b.ToString())];
            PortDirection direction = port.Value.GetProperty("direction").GetString() switch
            {
                "input" => PortDirection.Input,
                "output" => PortDirection.Output,
                _ => PortDirection.Inout,
            };
            bool clock = direction == PortDirection.Input && bits.Length == 1 && clockBits.Contains(bits[0]);
            ports.Add(new SynthesisPort(port.Name, direction, bits.Length, clock));
        }

        return new YosysNetlist(ports, cells);
    }
}
