using System.Globalization;

namespace CoDesign.Benchmarks;

/// <summary>The options the benchmark modes share the form of: <c>--name N</c>.</summary>
internal static class BenchmarkArguments
{
    /// <summary>The number after <paramref name="name"/> in <paramref name="args"/>, or <paramref name="fallback"/> when it is not given.</summary>
    public static int Int(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
