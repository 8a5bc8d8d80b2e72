using System.Buffers.Binary;
using System.Text;
using CoDesign.Kernels;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Devices;

/// <summary>
/// The device side of the framed link for devices that run on this host (the emulator, the CPU, a
/// GPU): it sits on the far side of a byte stream and speaks the same protocol as the hardware. It
/// answers retransmissions from its resend cache, executes DMA descriptors into the engine's weight
/// memory, checks and registers committed model images, and hands runs to its
/// <see cref="IComputeEngine"/>. The weight region and the model table survive a soft reset; a new
/// instance is a power cycle. Compressed requests are expanded here, before anything else looks at
/// them, so every device served this way decodes them the same way.
/// </summary>
public sealed class LinkServer : IDisposable
{
    private readonly IComputeEngine _engine;
    private readonly Dictionary<int, Committed> _models = [];
    private readonly Lock _state = new();
    private Stream? _stream;
    private Thread? _thread;
    private FrameType _lastType;
    private byte _lastSequence;
    private byte[]? _lastReply;

    /// <summary>
    /// Creates a powered-on device around <paramref name="engine"/>, which it disposes. The model table
    /// starts empty: an image already in the engine's memory (baked into a bitstream) runs once the
    /// host commits it.
    /// </summary>
    public LinkServer(IComputeEngine engine)
    {
        _engine = engine;
    }

    /// <summary>What the device reports about itself: its engine's profile and the link's <see cref="Capabilities"/>.</summary>
    public DeviceProfile Profile => _engine.Profile with { Capabilities = Capabilities };

    /// <summary>
    /// What this link server advertises and does beyond the base protocol: it decodes compressed
    /// requests unless told otherwise. <see cref="LinkCapabilities.None"/> makes it a device built
    /// before compression, which refuses them as unknown requests.
    /// </summary>
    public LinkCapabilities Capabilities { get; init; } = LinkCapabilities.ZeroRunCodec;

    /// <summary>Frames received intact.</summary>
    public long FramesReceived { get; private set; }

    /// <summary>Frames that failed their checks and were answered with a frame error.</summary>
    public long CorruptedFrames { get; private set; }

    /// <summary>Soft resets so far.</summary>
    public int Resets { get; private set; }

    /// <summary>Addresses of the models currently registered.</summary>
    public IReadOnlyCollection<int> ModelAddresses
    {
        get
        {
            lock (_state)
            {
                return _models.Keys.ToArray();
            }
        }
    }

    /// <summary>Starts a device around <paramref name="engine"/> on a fresh in-memory link and returns the host's end of it.</summary>
    public static (LinkServer Device, Stream HostEnd) Start(IComputeEngine engine)
    {
        var device = new LinkServer(engine);
        (LoopbackStream host, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        return (device, host);
    }

    /// <summary>
    /// Starts a device around <paramref name="engine"/> on an in-memory link and returns the link, with
    /// a reply timeout of <paramref name="timeout"/> (2 s by default).
    /// </summary>
    public static DeviceLink Link(IComputeEngine engine, TimeSpan? timeout = null)
    {
        (LinkServer device, Stream hostEnd) = Start(engine);
        return new DeviceLink(hostEnd, device, timeout ?? TimeSpan.FromSeconds(2));
    }

    /// <summary>
    /// Starts a device around <paramref name="engine"/> on an in-memory link and opens a session to it
    /// named <paramref name="name"/>, with a reply timeout of <paramref name="timeout"/> (2 s by default).
    /// </summary>
    public static ConnectedDevice Connect(IComputeEngine engine, string name, TimeSpan? timeout = null, IProgress<LinkWait>? waits = null) =>
        Link(engine, timeout).Connect(name, waits: waits);

    /// <summary>Serves requests from <paramref name="stream"/> on a background thread until it closes.</summary>
    public void Serve(Stream stream)
    {
        _stream = stream;
        _thread = new Thread(() => ServeLoop(stream)) { IsBackground = true, Name = "emulator device" };
        _thread.Start();
    }

    /// <summary>Soft reset, as the reset pin does: working state cleared, weights and model table kept.</summary>
    public void SoftReset()
    {
        lock (_state)
        {
            _lastReply = null;
            _lastSequence = 0;
            Resets++;
        }
    }

    /// <summary>Handles one intact frame and returns the reply frame (used by the serve loop and by tests).</summary>
    public Frame Handle(Frame request)
    {
        lock (_state)
        {
            FramesReceived++;
            bool compressed = (Capabilities & LinkCapabilities.ZeroRunCodec) != 0 && (request.Type & FrameType.Compressed) != 0;
            if (compressed)
            {
                // The request proper: a compressed request and its raw twin are the same request.
                request = request with { Type = request.Type & ~FrameType.Compressed };
            }

            if (_lastReply is not null && request.Sequence == _lastSequence && request.Type == _lastType)
            {
                // A retransmission: our reply was lost. Answer again without executing twice.
                return FrameFromReply(request, _lastReply);
            }

            byte[] reply = compressed ? ExecuteCompressed(request) : Execute(request);

            if (request.Type == FrameType.Reset)
            {
                SoftReset();
            }

            _lastType = request.Type;
            _lastSequence = request.Sequence;
            _lastReply = reply;
            return FrameFromReply(request, reply);
        }
    }

    /// <summary>Closes the link; the serve thread ends and the engine powers down.</summary>
    public void Dispose()
    {
        _stream?.Dispose();
        _thread?.Join(TimeSpan.FromSeconds(2));
        lock (_state)
        {
            foreach (Committed model in _models.Values)
            {
                model.Prepared.Dispose();
            }

            _models.Clear();
            _engine.Dispose();
        }
    }

    private static Frame FrameFromReply(Frame request, byte[] reply) =>
        reply.Length > 0 && reply[0] == 0
            ? new Frame(request.Type | FrameType.ReplyFlag, request.Sequence, reply[1..])
            : new Frame(FrameType.Error, request.Sequence, reply);

    private void ServeLoop(Stream stream)
    {
        var decoder = new FrameDecoder();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int read = stream.Read(buffer);
                if (read == 0)
                {
                    return;
                }

                for (int i = 0; i < read; i++)
                {
                    DecodeResult result = decoder.Push(buffer[i]);
                    if (result == DecodeResult.Frame)
                    {
                        stream.Write(FrameCodec.Encode(Handle(decoder.Frame)));
                        stream.Flush();
                    }
                    else if (result == DecodeResult.Corrupted)
                    {
                        CorruptedFrames++;
                        stream.Write(FrameCodec.Encode(new Frame(FrameType.FrameError, 0, [])));
                        stream.Flush();
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or TimeoutException)
        {
            // Link closed: the device powers down.
        }
    }

    /// <summary>Expands a compressed request's payload (the device's receive buffer bounds it) and runs it; tokens that do not decode are a malformed payload.</summary>
    private byte[] ExecuteCompressed(Frame request) =>
        ZeroRunCodec.TryDecode(request.Payload, Profile.MaxPayload, out byte[] expanded, out string? error)
            ? Execute(request with { Payload = expanded })
            : Fail(DeviceErrorCode.BadPayload, error!);

    /// <summary>Runs a request. The reply is a status byte (0 = success) then the payload, or an error code then a message.</summary>
    private byte[] Execute(Frame request)
    {
        try
        {
            return request.Type switch
            {
                FrameType.Hello => Ok(Profile.Encode()),
                FrameType.Write => Write(request.Payload),
                FrameType.Commit => Commit(request.Payload),
                FrameType.Run => Run(request.Payload),
                FrameType.Unload => Unload(request.Payload),
                FrameType.Reset => Ok([]),
                FrameType.Status => Ok(new DeviceStatus(_models.Count, Resets, FramesReceived, CorruptedFrames).Encode()),
                _ => Fail(DeviceErrorCode.UnknownRequest, $"unknown request type 0x{(byte)request.Type:X2}"),
            };
        }
        catch (Exception e)
        {
            // A malformed image or request must never take the device down: report and carry on.
            return Fail(DeviceErrorCode.ExecutionFault, e.Message);
        }
    }

    private byte[] Write(byte[] payload)
    {
        if (payload.Length < DmaDescriptor.Size)
        {
            return Fail(DeviceErrorCode.BadPayload, $"write of {payload.Length} bytes has no complete DMA descriptor");
        }

        (DmaDescriptor descriptor, byte memory) = DmaDescriptor.Decode(payload);
        int dataLength = payload.Length - DmaDescriptor.Size;
        if (memory != DmaDescriptor.PersistentMemory || descriptor.Length != dataLength || !WidthConverter.IsValueWidth(descriptor.ElementBits))
        {
            return Fail(DeviceErrorCode.BadPayload, $"DMA descriptor {descriptor} (memory {memory}) does not describe the {dataLength} bytes that follow it");
        }

        IWeightMemory weights = _engine.Memory;
        if (descriptor.Address < 0 || (long)descriptor.Address + dataLength > weights.Length || descriptor.Address % Profile.BusBytes != 0)
        {
            return Fail(DeviceErrorCode.OutOfRange, $"DMA write of {dataLength} bytes to address {descriptor.Address} is outside the {weights.Length}-byte weight region or not word-aligned");
        }

        weights.Write(descriptor.Address, payload.AsSpan(DmaDescriptor.Size));

        // Overwriting a registered model's memory unregisters it: it is no longer what was committed.
        foreach (int address in _models.Keys.ToArray())
        {
            Committed model = _models[address];
            if (descriptor.Address < address + model.Image.Header.ImageBytes && address < descriptor.Address + dataLength)
            {
                Remove(address);
            }
        }

        return Ok([]);
    }

    private byte[] Commit(byte[] payload)
    {
        if (payload.Length != CommitRequest.Size)
        {
            return Fail(DeviceErrorCode.BadPayload, "commit needs address, length and checksum");
        }

        (uint rawAddress, uint rawLength, uint checksum) = CommitRequest.Decode(payload);
        int address = (int)rawAddress;
        int length = (int)rawLength;
        if (address < 0 || length <= 0 || (long)address + length > _engine.Memory.Length)
        {
            return Fail(DeviceErrorCode.OutOfRange, $"image of {length} bytes at {address} is outside the weight region");
        }

        // Read back from the engine's memory, so the check covers what a GPU upload actually left there.
        var image = new byte[length];
        _engine.Memory.Read(address, image);
        uint actual = Crc32.Compute(image);
        if (actual != checksum)
        {
            return Fail(DeviceErrorCode.ImageChecksum, $"image at {address} has checksum 0x{actual:X8} in device memory, expected 0x{checksum:X8}: part of it never arrived or was overwritten");
        }

        CommittedModel? model = CommittedModel.Read(image, Profile.BusBits, address, out string? error);
        if (model is null)
        {
            return Fail(DeviceErrorCode.NoModel, error ?? "not a model image");
        }

        if (model.ScratchBytes > Profile.ScratchBytes)
        {
            return Fail(DeviceErrorCode.ExecutionFault, $"model needs {model.ScratchBytes} bytes of scratch, the device has {Profile.ScratchBytes}");
        }

        if (model.IsBlock && (_engine.Profile.Features & EngineFeatures.ColumnBlocks) == 0)
        {
            return Fail(DeviceErrorCode.ExecutionFault, "image is a column block of a layer; this device runs whole models only");
        }

        // A new address needs a free slot, as on the RTL (its MODEL_SLOTS); committing again where a model is re-registers it.
        if (Profile.ModelSlots > 0 && !_models.ContainsKey(address) && _models.Count >= Profile.ModelSlots)
        {
            return Fail(DeviceErrorCode.ExecutionFault, $"no free model slot: the device registers {Profile.ModelSlots} models at once");
        }

        Remove(address);
        _models[address] = new Committed(model, _engine.Load(model));
        return Ok([]);
    }

    private byte[] Run(byte[] payload)
    {
        if (RunRequest.DecodeHeader(payload) is not { } header)
        {
            return Fail(DeviceErrorCode.BadPayload, "run request too short");
        }

        if (!_models.TryGetValue(header.ModelAddress, out Committed? committed))
        {
            return Fail(DeviceErrorCode.NoModel, $"no committed model at address {header.ModelAddress}");
        }

        // Checked after the model, as the RTL does, so both give the same code for a count of 0 at an empty address.
        if (header.Count == 0)
        {
            return Fail(DeviceErrorCode.BadPayload, "a run must carry at least one input");
        }

        CommittedModel model = committed.Image;
        int inputSize = model.Header.InputSize;
        if (payload.Length != RunRequest.HeaderSize + ((long)header.Count * inputSize))
        {
            return Fail(DeviceErrorCode.BadPayload, $"run request carries {payload.Length - RunRequest.HeaderSize} input bytes, expected {header.Count} x {inputSize}");
        }

        // The limit is on the reply frame's payload; the status byte in front of it here never goes on the wire.
        int outputSize = model.Header.OutputSize;
        if (RunReply.PayloadSize(header.Count, outputSize) > Profile.MaxPayload)
        {
            return Fail(DeviceErrorCode.BadPayload, $"a batch of {header.Count} needs a reply larger than {Profile.MaxPayload} bytes");
        }

        if (model.RunScratchBytes(header.Count) > Profile.ScratchBytes)
        {
            return Fail(DeviceErrorCode.BadPayload, $"a batch of {header.Count} needs {model.RunScratchBytes(header.Count)} bytes of scratch for its sums, the device has {Profile.ScratchBytes}");
        }

        var outputs = new int[header.Count * outputSize];
        EngineWork work = committed.Prepared.Run(payload.AsSpan(RunRequest.HeaderSize), header.Count, outputs);
        return Ok(new RunReply(header.Count, outputSize, work.Cycles, work.Entries, work.ShiftAddSteps, work.Broadcasts, outputs).Encode());
    }

    private byte[] Unload(byte[] payload)
    {
        if (payload.Length != 4)
        {
            return Fail(DeviceErrorCode.BadPayload, "unload needs an address");
        }

        int address = (int)BinaryPrimitives.ReadUInt32LittleEndian(payload);
        return Remove(address) ? Ok([]) : Fail(DeviceErrorCode.NoModel, $"no committed model at address {address}");
    }

    /// <summary>Unregisters the model at <paramref name="address"/>, releasing what its engine prepared.</summary>
    private bool Remove(int address)
    {
        if (!_models.Remove(address, out Committed? model))
        {
            return false;
        }

        model.Prepared.Dispose();
        return true;
    }

    private static byte[] Ok(byte[] payload) => [0, .. payload];

    private static byte[] Fail(DeviceErrorCode code, string message) => [(byte)code, .. Encoding.UTF8.GetBytes(message)];

    /// <summary>A registered model: the image as read at commit and what the engine prepared from it.</summary>
    private sealed record Committed(CommittedModel Image, IEngineModel Prepared);
}
