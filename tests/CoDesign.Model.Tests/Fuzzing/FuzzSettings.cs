using System.Globalization;

namespace CoDesign.Model.Tests.Fuzzing;

/// <summary>
/// How many cases a fuzzer runs and from which seed. CI runs the defaults (a few seconds per class);
/// a longer run sets <c>CODESIGN_FUZZ_CASES</c> (cases per fuzzer) and <c>CODESIGN_FUZZ_SEED</c>.
/// </summary>
public static class FuzzSettings
{
    /// <summary>The environment variable that overrides every fuzzer's case count.</summary>
    public const string CasesVariable = "CODESIGN_FUZZ_CASES";

    /// <summary>The environment variable that changes the seed the fuzzers start from.</summary>
    public const string SeedVariable = "CODESIGN_FUZZ_SEED";

    /// <summary>The number of cases: <paramref name="ciDefault"/> unless the environment says otherwise.</summary>
    public static int Cases(int ciDefault) => Read(CasesVariable) ?? ciDefault;

    /// <summary>The seed of a fuzzer: its own constant mixed with the environment's seed, if any.</summary>
    public static int Seed(int fuzzer) => fuzzer ^ (Read(SeedVariable) ?? 0);

    private static int? Read(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0 ? value : null;
}
