namespace CoDesign.KernelCompiler.Execution;

/// <summary>
/// A <c>--arg</c> that does not fit the kernel's signature. The message is one line that names the
/// argument (and the element, for a span) and says what is wrong, ready to follow <c>error: </c>.
/// </summary>
public sealed class KernelArgumentException(string message) : Exception(message)
{
}
