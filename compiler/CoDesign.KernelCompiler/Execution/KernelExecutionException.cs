namespace CoDesign.KernelCompiler.Execution;

/// <summary>
/// A kernel that threw while it ran (an index out of range, a division by zero): the message is one
/// line with the kernel, the exception's type and its message; the original is the inner exception.
/// </summary>
public sealed class KernelExecutionException(string message, Exception? inner) : Exception(message, inner)
{
}
