namespace CoDesign.Compression;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once on the reporting thread. Used to
/// translate one stage's reports into the caller's; unlike <see cref="Progress{T}"/> it does not
/// post to a synchronization context, so reports arrive in order and are not dropped.
/// </summary>
internal sealed class ForwardingProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
