using System.Globalization;

namespace CoDesign.Planner.Profile;

/// <summary>How often each model is requested: shares that sum to 1.</summary>
public sealed class RequestMix
{
    private readonly Dictionary<string, double> _shares;

    private RequestMix(Dictionary<string, double> shares)
    {
        _shares = shares;
    }

    /// <summary>The share of requests for <paramref name="model"/> (0 for a model not in the mix).</summary>
    public double ShareOf(string model) => _shares.GetValueOrDefault(model);

    /// <summary>Models and their shares.</summary>
    public IReadOnlyDictionary<string, double> Shares => _shares;

    /// <summary>Every model equally often.</summary>
    public static RequestMix Uniform(IEnumerable<string> models)
    {
        string[] names = [.. models.Distinct()];
        return new RequestMix(names.ToDictionary(n => n, _ => 1.0 / names.Length));
    }

    /// <summary>Shares in proportion to <paramref name="weights"/> (any positive scale).</summary>
    public static RequestMix FromWeights(IReadOnlyDictionary<string, double> weights)
    {
        double total = weights.Values.Sum();
        if (weights.Count == 0 || total <= 0 || weights.Values.Any(w => w < 0 || !double.IsFinite(w)))
        {
            throw new ArgumentException("a request mix needs at least one model and shares that are finite, not negative, and not all zero", nameof(weights));
        }

        return new RequestMix(weights.ToDictionary(p => p.Key, p => p.Value / total));
    }

    /// <summary>
    /// Parses <c>a=0.5,b=0.3,...</c> for the models <paramref name="models"/>: every name must be one of
    /// them, once; models not named get what is left of 1, shared equally (0 when nothing is left).
    /// Throws <see cref="FormatException"/> naming the bad part.
    /// </summary>
    public static RequestMix Parse(string text, IReadOnlyList<string> models)
    {
        var shares = new Dictionary<string, double>();
        foreach (string part in text.Split(','))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"mix part '{part}' is not NAME=SHARE");
            }

            string name = part[..eq].Trim();
            if (!models.Contains(name))
            {
                throw new FormatException($"mix names model '{name}', which is not among the models given ({string.Join(", ", models)})");
            }

            if (!double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double share) || share < 0 || share > 1 || !double.IsFinite(share))
            {
                throw new FormatException($"mix share '{part[(eq + 1)..]}' of model '{name}' is not a number from 0 to 1");
            }

            if (!shares.TryAdd(name, share))
            {
                throw new FormatException($"mix names model '{name}' twice");
            }
        }

        double named = shares.Values.Sum();
        if (named > 1 + 1e-9)
        {
            throw new FormatException($"mix shares add up to {named.ToString("0.###", CultureInfo.InvariantCulture)}, more than 1");
        }

        string[] rest = [.. models.Where(m => !shares.ContainsKey(m))];
        foreach (string name in rest)
        {
            shares[name] = (1 - named) / rest.Length;
        }

        if (shares.Values.Sum() <= 0)
        {
            throw new FormatException("mix gives every model a share of 0");
        }

        return FromWeights(shares);
    }
}
