using CoDesign.Runtime.Deploy;

namespace CoDesign.TestSupport;

/// <summary>
/// For tests of links that lose nothing (a pseudo-terminal, a simulator's pipe), or only a frame the
/// test damages on purpose (resent at once on the corrupted reply or the device's frame-error report),
/// which count resends or wire bytes: a reply that a loaded host (CI's two cores) delays past the
/// adaptive timeout's 100 ms floor is resent, which adds a resend and its bytes that the test did not
/// cause. CI once saw it add 1,049 wire bytes to a Verilator top's run.
/// </summary>
public static class LosslessLink
{
    /// <summary>Makes every request of <paramref name="session"/> wait the whole reply timeout before it is sent again; returns the session.</summary>
    public static DeviceSession ResendOnlyAfterTheFullTimeout(this DeviceSession session)
    {
        session.Client.MinTimeout = session.Client.Timeout;
        return session;
    }
}
