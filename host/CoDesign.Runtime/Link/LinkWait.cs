namespace CoDesign.Runtime.Link;

/// <summary>A request that got no reply in time and is being sent again: what a user watching a silent device is told.</summary>
/// <param name="Device">The device's name.</param>
/// <param name="Request">What was asked.</param>
/// <param name="Sequence">The request's sequence number.</param>
/// <param name="Attempt">The attempt about to be made (2 for the first resend).</param>
/// <param name="Attempts">Attempts before the device is declared silent.</param>
/// <param name="Waited">How long the last attempt waited.</param>
public sealed record LinkWait(string Device, FrameType Request, byte Sequence, int Attempt, int Attempts, TimeSpan Waited)
{
    /// <summary>One line for the user: "device 'x': no reply to Hello #1 after 5.0 s; sending it again (attempt 2 of 4)".</summary>
    public override string ToString() =>
        $"device '{Device}': no reply to {Request} #{Sequence} after {Waited.TotalSeconds:0.0} s; sending it again (attempt {Attempt} of {Attempts})";
}
