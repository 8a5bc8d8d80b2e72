namespace CoDesign.Runtime.Link;

/// <summary>The device did not answer a request, not even after retransmissions.</summary>
public sealed class DeviceTimeoutException(string message) : IOException(message);
