using System.CommandLine;
using System.Globalization;

namespace CoDesign.Cli;

/// <summary>
/// Range checks for options, run while the command line is parsed: a value out of range is a usage
/// error that names the option and its valid range, never a value clamped in silence.
/// </summary>
internal static class CommandOptions
{
    /// <summary>The most PEs a device can be asked to emulate.</summary>
    public const int MaxPes = 64;

    /// <summary>Refuses a value outside <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Option<int> InRange(this Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            if (TryValue(result, out int value))
            {
                Check(result, option.Name, value, min, max);
            }
        });
        return option;
    }

    /// <summary>Refuses a given value outside <paramref name="min"/>..<paramref name="max"/>; absent is fine.</summary>
    public static Option<int?> InRange(this Option<int?> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            if (TryValue(result, out int? given) && given is { } value)
            {
                Check(result, option.Name, value, min, max);
            }
        });
        return option;
    }

    /// <summary>Refuses a list with no values, or any value outside <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Option<int[]> EachInRange(this Option<int[]> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            int[] values = TryValue(result, out int[]? given) ? given ?? [] : [];
            if (values.Length == 0)
            {
                result.AddError($"{option.Name} needs at least one value");
            }

            foreach (int value in values)
            {
                Check(result, option.Name, value, min, max);
            }
        });
        return option;
    }

    /// <summary>Refuses a list with no values, or any value outside the open-closed range (<paramref name="above"/>, <paramref name="max"/>].</summary>
    public static Option<double[]> EachAboveUpTo(this Option<double[]> option, double above, double max)
    {
        option.Validators.Add(result =>
        {
            double[] values = TryValue(result, out double[]? given) ? given ?? [] : [];
            if (values.Length == 0)
            {
                result.AddError($"{option.Name} needs at least one value");
            }

            foreach (double value in values.Where(v => !(v > above && v <= max)))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} {value} is out of range; allowed: more than {above}, at most {max}"));
            }
        });
        return option;
    }

    /// <summary>The option's value; false when it did not parse (the parser reports that error itself).</summary>
    private static bool TryValue<T>(System.CommandLine.Parsing.OptionResult result, out T? value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    private static void Check(System.CommandLine.Parsing.OptionResult result, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} {value} is out of range; allowed: {min:N0}..{max:N0}"));
        }
    }
}
