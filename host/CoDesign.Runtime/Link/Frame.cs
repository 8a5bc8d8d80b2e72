namespace CoDesign.Runtime.Link;

/// <summary>One decoded link frame: type, sequence number, payload (at most 65,535 bytes).</summary>
public readonly record struct Frame(FrameType Type, byte Sequence, byte[] Payload)
{
    /// <summary>Largest payload the 16-bit length field can describe.</summary>
    public const int MaxPayload = ushort.MaxValue;

    /// <summary>True for a successful reply to a request of type <paramref name="request"/> (sent raw or compressed: the reply carries the plain type).</summary>
    public bool IsReplyTo(FrameType request) => Type == ((request & ~FrameType.Compressed) | FrameType.ReplyFlag);
}
