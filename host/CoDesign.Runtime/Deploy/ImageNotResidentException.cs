namespace CoDesign.Runtime.Deploy;

/// <summary>
/// <see cref="DeviceSession.Adopt"/> found that the device's memory does not hold the image at the
/// given address (a different model was baked into it, or none); deploying it sends the bytes instead.
/// </summary>
public sealed class ImageNotResidentException(string message, Exception inner) : InvalidOperationException(message, inner);
