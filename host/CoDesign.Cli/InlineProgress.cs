namespace CoDesign.Cli;

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (the BCL's Progress posts to a context).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
