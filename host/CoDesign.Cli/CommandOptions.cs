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
    public static Option<int> InRange(this Option<int> option, int min, int max) =>
        Check<int, int>(option, value => [value], value => value >= min && value <= max, Range(min, max));

    /// <summary>Refuses a given value outside <paramref name="min"/>..<paramref name="max"/>; absent is fine.</summary>
    public static Option<int?> InRange(this Option<int?> option, int min, int max) =>
        Check<int?, int>(option, value => value is { } given ? [given] : [], value => value >= min && value <= max, Range(min, max));

    /// <summary>Refuses a given value below <paramref name="min"/>; absent is fine (the bound above depends on the data, checked when it is read).</summary>
    public static Option<int?> AtLeast(this Option<int?> option, int min) =>
        Check<int?, int>(option, value => value is { } given ? [given] : [], value => value >= min, string.Create(CultureInfo.InvariantCulture, $"at least {min:N0}"));

    /// <summary>Refuses a list with no values, or any value outside <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Option<int[]> EachInRange(this Option<int[]> option, int min, int max) =>
        Check<int[], int>(option, values => values ?? [], value => value >= min && value <= max, Range(min, max));

    /// <summary>Refuses a list with no values, or any value outside the open-closed range (<paramref name="above"/>, <paramref name="max"/>].</summary>
    public static Option<double[]> EachAboveUpTo(this Option<double[]> option, double above, double max) =>
        Check<double[], double>(option, values => values ?? [], value => value > above && value <= max, string.Create(CultureInfo.InvariantCulture, $"more than {above}, at most {max}"));

    /// <summary>Refuses a value outside the open-closed range (<paramref name="above"/>, <paramref name="max"/>].</summary>
    public static Option<double> AboveUpTo(this Option<double> option, double above, double max) =>
        Check<double, double>(option, value => [value], value => value > above && value <= max, string.Create(CultureInfo.InvariantCulture, $"more than {above}, at most {max}"));

    private static string Range(int min, int max) => string.Create(CultureInfo.InvariantCulture, $"{min:N0}..{max:N0}");

    /// <summary>
    /// Adds a validator: every value <paramref name="values"/> finds in the option's value must pass
    /// <paramref name="allowed"/>, and a list option must hold at least one. A value that did not parse
    /// is left to the parser, which reports it itself.
    /// </summary>
    private static Option<TValue> Check<TValue, T>(Option<TValue> option, Func<TValue?, T[]> values, Func<T, bool> allowed, string range)
    {
        option.Validators.Add(result =>
        {
            TValue? value;
            try
            {
                value = result.GetValueOrDefault<TValue>();
            }
            catch (InvalidOperationException)
            {
                return;
            }

            T[] given = values(value);
            if (value is Array && given.Length == 0)
            {
                result.AddError($"{option.Name} needs at least one value");
            }

            foreach (T bad in given.Where(v => !allowed(v)))
            {
                string shown = bad is int whole ? whole.ToString("N0", CultureInfo.InvariantCulture) : Convert.ToString(bad, CultureInfo.InvariantCulture)!;
                result.AddError($"{option.Name} {shown} is out of range; allowed: {range}");
            }
        });
        return option;
    }
}
