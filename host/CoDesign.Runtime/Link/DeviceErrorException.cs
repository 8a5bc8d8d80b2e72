namespace CoDesign.Runtime.Link;

/// <summary>The device answered a request with an error frame.</summary>
public sealed class DeviceErrorException(DeviceErrorCode code, string message) : IOException($"device refused the request ({code}): {message}")
{
    /// <summary>What kind of refusal it was.</summary>
    public DeviceErrorCode Code { get; } = code;
}
