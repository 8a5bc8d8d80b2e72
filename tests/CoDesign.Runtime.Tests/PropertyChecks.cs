using FsCheck;

namespace CoDesign.Runtime.Tests;

/// <summary>Runs an FsCheck property under a given configuration, failing the test on a counterexample.</summary>
internal static class PropertyChecks
{
    public static void CheckWith(this Property property, Config config) => Check.One(config, property);
}
