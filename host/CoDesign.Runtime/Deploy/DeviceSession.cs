using System.Buffers.Binary;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Deploy;

/// <summary>
/// The host's connection to one device: stages "deploy" and "infer". It learns the device's profile,
/// places models in device memory, sends their images chunk by chunk and frees each chunk as the
/// device acknowledges it, and runs inference on any deployed model from any thread.
/// </summary>
public sealed class DeviceSession : IDisposable
{
    private readonly LinkClient _link;
    private readonly Lock _gate = new();
    private readonly List<DeployedModel> _models = [];
    private readonly Dictionary<DeviceImage, int> _pending = [];

    private DeviceSession(LinkClient link, DeviceProfile profile)
    {
        _link = link;
        Profile = profile;
        Memory = new DeviceMemoryAllocator(profile.PersistentBytes, Math.Max(8, profile.BusBytes));
        Compression = new CompressionPolicy(profile);
    }

    /// <summary>What the device said about itself.</summary>
    public DeviceProfile Profile { get; }

    /// <summary>The host-side allocator of the device's weight region.</summary>
    public DeviceMemoryAllocator Memory { get; }

    /// <summary>Link counters: bytes each way, retransmissions, corrupted frames, timeouts, the frame size now.</summary>
    public LinkStatistics Link => _link.Statistics;

    /// <summary>The link under this session: its frame-size policy, its resend timers and limits.</summary>
    public LinkClient Client => _link;

    /// <summary>Decides per Run and Write whether its payload travels compressed, and counts what it decided.</summary>
    public CompressionPolicy Compression { get; }

    /// <summary>When image bytes are freed; per chunk unless changed.</summary>
    public ReclamationPolicy Reclamation { get; set; } = ReclamationPolicy.PerChunk;

    /// <summary>Models deployed and not unloaded.</summary>
    public IReadOnlyList<DeployedModel> Models
    {
        get
        {
            lock (_gate)
            {
                return [.. _models];
            }
        }
    }

    /// <summary>Connects over <paramref name="stream"/> and asks the device to describe itself.</summary>
    /// <param name="stream">Byte stream to the device.</param>
    /// <param name="deviceName">Name for error messages.</param>
    /// <param name="timeout">Reply timeout per attempt.</param>
    /// <param name="attempts">Sends per request before the device is declared silent.</param>
    /// <param name="waits">Hears of every request sent again because the device did not answer in time.</param>
    public static DeviceSession Open(Stream stream, string deviceName, TimeSpan timeout, int attempts = 4, IProgress<LinkWait>? waits = null)
    {
        var link = new LinkClient(stream, deviceName, timeout, attempts, waits);
        try
        {
            var profile = DeviceProfile.Decode(link.Request(FrameType.Hello, []));
            link.Framing = new FrameSizePolicy(profile.MaxPayload, Math.Min(FrameSizePolicy.DefaultMinPayload, profile.MaxPayload));
            return new DeviceSession(link, profile);
        }
        catch
        {
            link.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="image"/> to the device and returns the handle of the running model.
    /// Chunks are freed as acknowledged (or all at the end, per <see cref="Reclamation"/>). When the
    /// link fails midway, everything not acknowledged is still held and calling again resumes where
    /// it stopped. Throws <see cref="DeployRefusedException"/>, holding on to the whole image, when the
    /// device has no room.
    /// </summary>
    public DeployedModel Deploy(DeviceImage image, IProgress<DeployProgress>? progress = null)
    {
        CheckTarget(image);
        lock (_gate)
        {
            if (!_pending.TryGetValue(image, out int address))
            {
                if (image.IsFullyReleased)
                {
                    throw new InvalidOperationException($"image of '{image.ModelName}' has been released already; compile the model again");
                }

                address = Memory.TryAllocate(image.ImageBytes)
                    ?? throw new DeployRefusedException(
                        $"model '{image.ModelName}' needs {image.ImageBytes} bytes of device memory; device '{Profile.Name}' has {Memory.LargestFree} free in one piece " +
                        $"({Memory.UsedBytes} of {Memory.Capacity} used by {_models.Count} models). Unload a model first; the image is still held.");
                _pending[image] = address;
            }

            long acknowledged = image.Chunks.Where(c => c.IsReleased).Sum(c => (long)c.Descriptor.Length);
            int done = image.Chunks.Count(c => c.IsReleased);
            foreach (ImageChunk chunk in image.Chunks)
            {
                if (chunk.Payload is not { } data)
                {
                    continue;
                }

                WriteChunk(chunk.Descriptor, address, data);
                if (Reclamation == ReclamationPolicy.PerChunk)
                {
                    chunk.Release();
                }

                done++;
                acknowledged += chunk.Descriptor.Length;
                progress?.Report(new DeployProgress(done, image.Chunks.Count, acknowledged, image.HostBytesHeld));
            }

            Commit(image, address);
            _pending.Remove(image);
            DeployedModel model = Register(image, address);
            progress?.Report(new DeployProgress(image.Chunks.Count, image.Chunks.Count, image.ImageBytes, image.HostBytesHeld));
            return model;
        }
    }

    /// <summary>
    /// Takes over a model whose image is already in the device's memory at <paramref name="address"/>
    /// (baked into the bitstream's memory initialisation) without sending its bytes: only the Commit
    /// goes out, and the device checks the image's CRC-32 and header in its own memory. Its region is
    /// marked used in <see cref="Memory"/>, and the host's copy of the image is released as after a
    /// deploy. Throws <see cref="ImageNotResidentException"/> when the device's memory holds something
    /// else there, and <see cref="DeployRefusedException"/> when the region is already used by a model
    /// of this session or lies outside the device's memory.
    /// </summary>
    /// <param name="image">The image compiled for this device from the model that was baked in.</param>
    /// <param name="address">Where the image starts in device memory; builds bake it at 0.</param>
    public DeployedModel Adopt(DeviceImage image, int address = 0)
    {
        CheckTarget(image);
        lock (_gate)
        {
            if (!Memory.TryAllocateAt(address, image.ImageBytes))
            {
                throw new DeployRefusedException(
                    $"model '{image.ModelName}' cannot be adopted at address {address}: its {image.ImageBytes} bytes overlap a model of this session, " +
                    $"lie outside device '{Profile.Name}''s {Memory.Capacity} bytes, or the address is not a multiple of {Memory.Alignment}");
            }

            try
            {
                _link.Request(FrameType.Commit, CommitRequest.Encode(address, image.ImageBytes, image.Checksum));
            }
            catch (DeviceErrorException e) when (e.Code is DeviceErrorCode.ImageChecksum or DeviceErrorCode.NoModel)
            {
                Memory.Free(address);
                throw new ImageNotResidentException(
                    $"device '{Profile.Name}' does not hold the image of '{image.ModelName}' at address {address}: its memory does not match this image's " +
                    $"{image.ImageBytes} bytes and CRC-32 0x{image.Checksum:X8} (a different model was baked in, or none); deploy the model instead. {e.Message}", e);
            }
            catch
            {
                Memory.Free(address);
                throw;
            }

            return Register(image, address);
        }
    }

    /// <summary>Removes a model from the device and frees its memory.</summary>
    public void Unload(DeployedModel model)
    {
        lock (_gate)
        {
            if (!_models.Remove(model))
            {
                throw new InvalidOperationException($"model '{model.Name}' at {model.Address} is not deployed on this device");
            }

            var payload = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)model.Address);
            _link.Request(FrameType.Unload, payload);
            Memory.Free(model.Address);
        }
    }

    /// <summary>
    /// Runs <paramref name="count"/> inputs (each <see cref="DeployedModel.InputSize"/> bytes, one after
    /// another) through a deployed model, in as few frames as the device's payload limit and the link's
    /// current frame size allow (at least one input per frame).
    /// </summary>
    public InferenceResult Infer(DeployedModel model, ReadOnlySpan<byte> inputs, int count)
    {
        if (inputs.Length != (long)count * model.InputSize)
        {
            throw new ArgumentException($"{inputs.Length} input bytes do not make {count} inputs of {model.InputSize} for model '{model.Name}'", nameof(inputs));
        }

        int limit = MaxBatch(model);
        var parts = new List<InferenceResult>();
        for (int start = 0, n; start < count; start += n)
        {
            n = Math.Min(FramedBatch(model, limit), count - start);
            (FrameType type, byte[] request) = Compression.Choose(FrameType.Run, RunRequest.Encode(model.Address, n, inputs.Slice(start * model.InputSize, n * model.InputSize)));
            RunReply reply;
            long linkBytes;
            lock (_gate)
            {
                if (!_models.Contains(model))
                {
                    throw new InvalidOperationException($"model '{model.Name}' is not deployed on this device");
                }

                long before = _link.Statistics.BytesSent + _link.Statistics.BytesReceived;
                reply = RunReply.Decode(_link.Request(type, request));
                linkBytes = _link.Statistics.BytesSent + _link.Statistics.BytesReceived - before;
            }

            if (reply.Count != n || reply.OutputSize != model.OutputSize)
            {
                throw new InvalidDataException($"device answered {reply.Count} x {reply.OutputSize} outputs for a batch of {n} x {model.OutputSize}");
            }

            parts.Add(new InferenceResult(n, reply.OutputSize, reply.Outputs, reply.Cycles, reply.Entries, reply.ShiftAddSteps, reply.Broadcasts, linkBytes));
        }

        return InferenceResult.Concat(parts);
    }

    /// <summary>
    /// Runs <paramref name="count"/> inputs through a deployed model in exactly one Run frame, as a
    /// column block of a memory plan needs: input i's partial sums stay in the device's accumulators
    /// under index i from one Run to the next. The inputs may be empty (a block that reads the
    /// previous layer's activations in scratch). Throws <see cref="InvalidOperationException"/> when
    /// the frame or its reply would exceed the device's payload limit.
    /// </summary>
    public InferenceResult InferOnce(DeployedModel model, ReadOnlySpan<byte> inputs, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (inputs.Length != (long)count * model.InputSize)
        {
            throw new ArgumentException($"{inputs.Length} input bytes do not make {count} inputs of {model.InputSize} for model '{model.Name}'", nameof(inputs));
        }

        if (RunRequest.HeaderSize + inputs.Length > Profile.MaxPayload || RunReply.PayloadSize(count, model.OutputSize) > Profile.MaxPayload)
        {
            throw new InvalidOperationException($"a Run of {count} inputs of '{model.Name}' needs frames larger than device '{Profile.Name}' accepts ({Profile.MaxPayload} bytes)");
        }

        (FrameType type, byte[] request) = Compression.Choose(FrameType.Run, RunRequest.Encode(model.Address, count, inputs));
        lock (_gate)
        {
            if (!_models.Contains(model))
            {
                throw new InvalidOperationException($"model '{model.Name}' is not deployed on this device");
            }

            long before = _link.Statistics.BytesSent + _link.Statistics.BytesReceived;
            RunReply reply = RunReply.Decode(_link.Request(type, request));
            long linkBytes = _link.Statistics.BytesSent + _link.Statistics.BytesReceived - before;
            if (reply.Count != count || reply.OutputSize != model.OutputSize)
            {
                throw new InvalidDataException($"device answered {reply.Count} x {reply.OutputSize} outputs for a batch of {count} x {model.OutputSize}");
            }

            return new InferenceResult(count, reply.OutputSize, reply.Outputs, reply.Cycles, reply.Entries, reply.ShiftAddSteps, reply.Broadcasts, linkBytes);
        }
    }

    /// <summary>Soft-resets the device: its working state is cleared, deployed models stay.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _link.Request(FrameType.Reset, []);
        }
    }

    /// <summary>Asks the device for its counters.</summary>
    public DeviceStatus RequestStatus()
    {
        lock (_gate)
        {
            return DeviceStatus.Decode(_link.Request(FrameType.Status, []));
        }
    }

    /// <summary>Host bytes held for this device: model handles plus any image not yet fully deployed.</summary>
    public long HostBytesHeld
    {
        get
        {
            lock (_gate)
            {
                return _models.Sum(m => m.HostBytes) + _pending.Keys.Sum(i => i.HostBytesHeld);
            }
        }
    }

    /// <summary>Closes the link.</summary>
    public void Dispose() => _link.Dispose();

    private void CheckTarget(DeviceImage image)
    {
        if (image.Target.PeCount != Profile.PeCount || image.Target.BusBits != Profile.BusBits || image.Target.MaxPayload > Profile.MaxPayload)
        {
            throw new ArgumentException($"image of '{image.ModelName}' was compiled for device {image.Target.Describe()}; this device is {Profile.Describe()}", nameof(image));
        }
    }

    private int MaxBatch(DeployedModel model)
    {
        int byRequest = (Profile.MaxPayload - RunRequest.HeaderSize) / model.InputSize;
        int byReply = (Profile.MaxPayload - RunReply.HeaderSize) / (4 * model.OutputSize);
        int batch = Math.Min(Math.Min(byRequest, byReply), ushort.MaxValue);
        if (batch < 1)
        {
            throw new InvalidOperationException($"model '{model.Name}' needs frames larger than device '{Profile.Name}' accepts ({Profile.MaxPayload} bytes)");
        }

        return batch;
    }

    // On a noisy line the frame-size policy may want frames shorter than the device's limit: fewer
    // inputs per Run, never fewer than one (an input cannot be split across Runs).
    private int FramedBatch(DeployedModel model, int limit)
    {
        int payload = _link.Framing.PayloadSize;
        int byRequest = (payload - RunRequest.HeaderSize) / model.InputSize;
        int byReply = (payload - RunReply.HeaderSize) / (4 * model.OutputSize);
        return Math.Clamp(Math.Min(byRequest, byReply), 1, limit);
    }

    /// <summary>
    /// Sends one chunk as DMA writes no longer than the frame-size policy allows now: any word-aligned
    /// piece of a chunk is a valid write, so the split needs nothing from the device. Returns only once
    /// every piece was acknowledged, so the caller frees the chunk no earlier than before.
    /// </summary>
    private void WriteChunk(DmaDescriptor descriptor, int address, byte[] data)
    {
        for (int offset = 0; offset < data.Length;)
        {
            int room = _link.Framing.PayloadSize - DmaDescriptor.Size;
            int piece = Math.Max(FrameSizePolicy.Granularity, room / FrameSizePolicy.Granularity * FrameSizePolicy.Granularity);
            int length = Math.Min(piece, data.Length - offset);
            var part = descriptor with { Address = descriptor.Address + offset, Length = length };
            (FrameType type, byte[] payload) = Compression.Choose(FrameType.Write, WriteRequest.Encode(part, address, data.AsSpan(offset, length)));
            _link.Request(type, payload);
            offset += length;
        }
    }

    // The device has registered the image: the host's copy goes, the model joins the session.
    private DeployedModel Register(DeviceImage image, int address)
    {
        foreach (ImageChunk chunk in image.Chunks)
        {
            chunk.Release();
        }

        var model = new DeployedModel(image.ModelName, address, image.ImageBytes, image.Header.InputSize, image.Header.OutputSize, image.Header.OutputKind);
        _models.Add(model);
        return model;
    }

    private void Commit(DeviceImage image, int address)
    {
        try
        {
            _link.Request(FrameType.Commit, CommitRequest.Encode(address, image.ImageBytes, image.Checksum));
        }
        catch (DeviceErrorException e) when (e.Code == DeviceErrorCode.ImageChecksum && image.IsFullyReleased)
        {
            // The device lost data it had acknowledged (power cycle): the host no longer has it.
            _pending.Remove(image);
            Memory.Free(address);
            throw new InvalidOperationException(
                $"device '{Profile.Name}' no longer holds the acknowledged parts of '{image.ModelName}' (was it powered off?); compile the model again and redeploy", e);
        }
    }
}
