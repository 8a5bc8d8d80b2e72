namespace CoDesign.KernelCompiler.Execution;

/// <summary>
/// What a call left behind: every span's contents and every out parameter's value after the call
/// (by parameter name), the return value, and on hardware the cycles from start to done.
/// </summary>
public sealed record KernelOutcome(IReadOnlyDictionary<string, long[]> Results, long? Return, long? Cycles);
