namespace CoDesign.TestSupport;

/// <summary>Two back ends disagreed on a call: the message has the kernel, the inputs and the first difference.</summary>
public sealed class KernelMismatchException(string message, Exception? inner = null) : Exception(message, inner)
{
}
