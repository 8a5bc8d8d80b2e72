using System.Buffers.Binary;
using System.Text;
using CoDesign.Kernels;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Link;

namespace CoDesign.Runtime.Devices;

/// <summary>
/// The accelerator emulated in C#: it sits on the far side of a byte stream and speaks the same
/// framed protocol as the hardware. It executes DMA descriptors into its persistent weight region,
/// checks and registers committed model images, runs their instruction streams with the kernels,
/// and counts cycles by <see cref="CostModel"/>. The weight region and the model table survive a
/// soft reset; a new instance is a power cycle.
/// </summary>
public sealed class EmulatorDevice : IDisposable
{
    private readonly byte[] _persistent;
    private readonly byte[] _scratch;
    private readonly Dictionary<int, LoadedModel> _models = [];
    private readonly Lock _state = new();
    private Stream? _stream;
    private Thread? _thread;
    private FrameType _lastType;
    private byte _lastSequence;
    private byte[]? _lastReply;

    /// <summary>Creates a powered-on device with zeroed memories.</summary>
    public EmulatorDevice(DeviceProfile profile)
        : this(profile, [])
    {
    }

    /// <summary>
    /// Creates a powered-on device whose weight region starts with <paramref name="bakedWeights"/> from
    /// address 0 and zeros after it, as a board whose bitstream initialises its weight memory with a
    /// model. The model table starts empty: a baked image runs once the host commits it.
    /// </summary>
    public EmulatorDevice(DeviceProfile profile, ReadOnlySpan<byte> bakedWeights)
    {
        if (bakedWeights.Length > profile.PersistentBytes)
        {
            throw new ArgumentException($"{bakedWeights.Length} baked bytes do not fit the {profile.PersistentBytes}-byte weight region", nameof(bakedWeights));
        }

        Profile = profile;
        _persistent = new byte[profile.PersistentBytes];
        bakedWeights.CopyTo(_persistent);
        _scratch = new byte[profile.ScratchBytes];
    }

    /// <summary>What the device reports about itself.</summary>
    public DeviceProfile Profile { get; }

    /// <summary>Whose cycle count a Run reply carries: the PE array's (default) or the sequential engine's.</summary>
    public EmulatedEngine Engine { get; init; }

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

    /// <summary>
    /// Starts a device on a fresh in-memory link and returns the host's end of it; its weight region
    /// starts with <paramref name="bakedWeights"/> when given, and its Run replies count the cycles of
    /// <paramref name="engine"/>.
    /// </summary>
    public static (EmulatorDevice Device, Stream HostEnd) Start(DeviceProfile? profile = null, byte[]? bakedWeights = null, EmulatedEngine engine = EmulatedEngine.PeArray)
    {
        var device = new EmulatorDevice(profile ?? DeviceProfile.EmulatorDefault, bakedWeights) { Engine = engine };
        (LoopbackStream host, LoopbackStream deviceEnd) = LoopbackStream.CreatePair();
        device.Serve(deviceEnd);
        return (device, host);
    }

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
            Array.Clear(_scratch);
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
            if (_lastReply is not null && request.Sequence == _lastSequence && request.Type == _lastType)
            {
                // A retransmission: our reply was lost. Answer again without executing twice.
                return FrameFromReply(request, _lastReply);
            }

            byte[] reply = Execute(request);
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

    /// <summary>Closes the link; the serve thread ends.</summary>
    public void Dispose()
    {
        _stream?.Dispose();
        _thread?.Join(TimeSpan.FromSeconds(2));
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

        if (descriptor.Address < 0 || (long)descriptor.Address + dataLength > _persistent.Length || descriptor.Address % Profile.BusBytes != 0)
        {
            return Fail(DeviceErrorCode.OutOfRange, $"DMA write of {dataLength} bytes to address {descriptor.Address} is outside the {_persistent.Length}-byte weight region or not word-aligned");
        }

        payload.AsSpan(DmaDescriptor.Size).CopyTo(_persistent.AsSpan(descriptor.Address));

        // Overwriting a registered model's memory unregisters it: it is no longer what was committed.
        foreach (int address in _models.Keys.ToArray())
        {
            LoadedModel model = _models[address];
            if (descriptor.Address < address + model.Header.ImageBytes && address < descriptor.Address + dataLength)
            {
                _models.Remove(address);
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

        int address = (int)BinaryPrimitives.ReadUInt32LittleEndian(payload);
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(4));
        uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(8));
        if (address < 0 || length <= 0 || (long)address + length > _persistent.Length)
        {
            return Fail(DeviceErrorCode.OutOfRange, $"image of {length} bytes at {address} is outside the weight region");
        }

        uint actual = Crc32.Compute(_persistent.AsSpan(address, length));
        if (actual != checksum)
        {
            return Fail(DeviceErrorCode.ImageChecksum, $"image at {address} has checksum 0x{actual:X8} in device memory, expected 0x{checksum:X8}: part of it never arrived or was overwritten");
        }

        LoadedModel? model = LoadedModel.Read(_persistent, Profile.BusBits, address, length, out string? error);
        if (model is null)
        {
            return Fail(DeviceErrorCode.NoModel, error ?? "not a model image");
        }

        if (model.ScratchBytes > _scratch.Length)
        {
            return Fail(DeviceErrorCode.ExecutionFault, $"model needs {model.ScratchBytes} bytes of scratch, the device has {_scratch.Length}");
        }

        _models[address] = model;
        return Ok([]);
    }

    private byte[] Run(byte[] payload)
    {
        if (RunRequest.DecodeHeader(payload) is not { } header)
        {
            return Fail(DeviceErrorCode.BadPayload, "run request too short");
        }

        if (!_models.TryGetValue(header.ModelAddress, out LoadedModel? model))
        {
            return Fail(DeviceErrorCode.NoModel, $"no committed model at address {header.ModelAddress}");
        }

        // Checked after the model, as the RTL does, so both give the same code for a count of 0 at an empty address.
        if (header.Count == 0)
        {
            return Fail(DeviceErrorCode.BadPayload, "a run must carry at least one input");
        }

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

        var outputs = new int[header.Count * outputSize];
        var counters = default(RunCounters);
        for (int i = 0; i < header.Count; i++)
        {
            model.Run(_scratch, payload.AsSpan(RunRequest.HeaderSize + (i * inputSize), inputSize), outputs.AsSpan(i * outputSize, outputSize), ref counters);
        }

        return Ok(new RunReply(header.Count, outputSize, Engine == EmulatedEngine.SequentialEngine ? counters.SequentialCycles : counters.Cycles, counters.Entries, counters.ShiftAddSteps, counters.Broadcasts, outputs).Encode());
    }

    private byte[] Unload(byte[] payload)
    {
        if (payload.Length != 4)
        {
            return Fail(DeviceErrorCode.BadPayload, "unload needs an address");
        }

        int address = (int)BinaryPrimitives.ReadUInt32LittleEndian(payload);
        return _models.Remove(address) ? Ok([]) : Fail(DeviceErrorCode.NoModel, $"no committed model at address {address}");
    }

    private static byte[] Ok(byte[] payload) => [0, .. payload];

    private static byte[] Fail(DeviceErrorCode code, string message) => [(byte)code, .. Encoding.UTF8.GetBytes(message)];
}
