namespace CoDesign.Compression.Tests;

/// <summary>Collects reports synchronously (unlike <see cref="Progress{T}"/>, which posts them later).</summary>
internal sealed class ListProgress<T>(List<T> reports) : IProgress<T>
{
    public void Report(T value)
    {
        lock (reports)
        {
            reports.Add(value);
        }
    }
}
