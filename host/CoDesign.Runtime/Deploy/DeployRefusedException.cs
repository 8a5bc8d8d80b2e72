namespace CoDesign.Runtime.Deploy;

/// <summary>A deploy that cannot happen (the model does not fit the device); the host still holds the whole image.</summary>
public sealed class DeployRefusedException(string message) : InvalidOperationException(message);
