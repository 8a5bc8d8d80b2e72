using CoDesign.Runtime.Link;

namespace CoDesign.Cli;

/// <summary>Tells the user, as it happens, that a device is silent and a request goes out again, instead of a long quiet wait before the error.</summary>
internal static class DeviceWaits
{
    /// <summary>Writes each resend to standard error.</summary>
    public static IProgress<LinkWait> ToStandardError { get; } = new InlineProgress<LinkWait>(wait => Console.Error.WriteLine($"waiting: {wait}"));
}
