using System.Buffers.Binary;
using Google.Protobuf;
using Onnx;

namespace CoDesign.Compression.Onnx;

/// <summary>
/// Decodes an ONNX <c>TensorProto</c> (an initializer, or a Constant's value) into an <see cref="OnnxConstant"/>:
/// elements in <c>raw_data</c> (little-endian) or in the typed fields (<c>float_data</c>, <c>double_data</c>,
/// <c>int32_data</c>, <c>int64_data</c>). Every problem is an <see cref="OnnxGraphException"/> that says why.
/// </summary>
internal static class OnnxTensorReader
{
    private const int Float = 1;
    private const int Int32 = 6;
    private const int Int64 = 7;
    private const int Double = 11;

    /// <summary>The largest tensor decoded: 64 Mi elements, the 256 MiB an ONNX file may have.</summary>
    private const long MaxElements = 64L << 20;

    private static readonly string[] TypeNames =
        ["undefined", "float", "uint8", "int8", "uint16", "int16", "int32", "int64", "string", "bool", "float16", "double", "uint32", "uint64", "complex64", "complex128", "bfloat16"];

    /// <summary>Decodes <paramref name="tensor"/>; <paramref name="what"/> names it in messages ("initializer 'fc1.weight'").</summary>
    public static OnnxConstant Read(TensorProto tensor, string what)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            string file = tensor.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value ?? "another file";
            throw new OnnxGraphException(
                $"{what} keeps its data in an external file ({Model.Files.EchoedText.Quote(file)}); save the model with its data inside (onnx.save(model, path, save_as_external_data=False))");
        }

        if (tensor.Segment is not null)
        {
            throw new OnnxGraphException($"{what} is split into segments, which the importer does not read");
        }

        long[] dims = [.. tensor.Dims];
        if (dims.Any(d => d < 0))
        {
            throw new OnnxGraphException($"{what} has a negative size in its shape {OnnxActivation.Describe(dims)}");
        }

        long count = 1;
        foreach (long d in dims)
        {
            // Checked before the product, which a hostile size would overflow.
            if (d > MaxElements || (count *= d) > MaxElements)
            {
                throw new OnnxGraphException($"{what} of shape {OnnxActivation.Describe(dims)} has more than {MaxElements:N0} elements");
            }
        }

        ByteString raw = tensor.RawData;
        switch (tensor.DataType)
        {
            case Float:
                return new OnnxConstant(dims, raw.Length > 0 ? FromRaw(raw, count, 4, what, b => BinaryPrimitives.ReadSingleLittleEndian(b)) : Check(tensor.FloatData, count, "float_data", what), null);
            case Double:
                return new OnnxConstant(dims, raw.Length > 0 ? FromRaw(raw, count, 8, what, b => (float)BinaryPrimitives.ReadDoubleLittleEndian(b)) : [.. Check(tensor.DoubleData, count, "double_data", what).Select(v => (float)v)], null);
            case Int64:
                return new OnnxConstant(dims, null, raw.Length > 0 ? FromRaw(raw, count, 8, what, b => BinaryPrimitives.ReadInt64LittleEndian(b)) : Check(tensor.Int64Data, count, "int64_data", what));
            case Int32:
                return new OnnxConstant(dims, null, raw.Length > 0 ? FromRaw(raw, count, 4, what, b => (long)BinaryPrimitives.ReadInt32LittleEndian(b)) : [.. Check(tensor.Int32Data, count, "int32_data", what).Select(v => (long)v)]);
            default:
                string type = tensor.DataType >= 0 && tensor.DataType < TypeNames.Length ? TypeNames[tensor.DataType] : $"type {tensor.DataType}";
                throw new OnnxGraphException($"{what} holds {type} elements; the importer reads float, double, int32 and int64 tensors");
        }
    }

    private static T[] FromRaw<T>(ByteString raw, long count, int size, string what, Func<ReadOnlySpan<byte>, T> read)
    {
        if (raw.Length != count * size)
        {
            throw new OnnxGraphException($"{what}: raw_data holds {raw.Length:N0} bytes; its shape calls for {count:N0} elements of {size} bytes");
        }

        ReadOnlySpan<byte> bytes = raw.Span;
        var values = new T[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = read(bytes.Slice(i * size, size));
        }

        return values;
    }

    private static T[] Check<T>(IReadOnlyList<T> typed, long count, string field, string what)
    {
        if (typed.Count != count)
        {
            throw new OnnxGraphException($"{what}: {field} holds {typed.Count:N0} elements; its shape calls for {count:N0}");
        }

        return [.. typed];
    }
}
