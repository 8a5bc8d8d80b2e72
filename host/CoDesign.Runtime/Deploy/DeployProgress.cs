namespace CoDesign.Runtime.Deploy;

/// <summary>Where a deploy stands after each acknowledged chunk.</summary>
/// <param name="ChunksAcknowledged">Chunks the device has confirmed so far.</param>
/// <param name="ChunkCount">Chunks in the image.</param>
/// <param name="BytesAcknowledged">Image bytes confirmed so far.</param>
/// <param name="HostBytesHeld">Host bytes the image still holds at this point.</param>
public readonly record struct DeployProgress(int ChunksAcknowledged, int ChunkCount, long BytesAcknowledged, long HostBytesHeld);
