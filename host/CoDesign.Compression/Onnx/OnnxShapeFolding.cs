using CoDesign.Model.Files;
using Onnx;

namespace CoDesign.Compression.Onnx;

/// <summary>
/// Folds the tensors known when a model is read: Constant nodes and the shape arithmetic exporters
/// write around a Reshape (PyTorch's <c>x.reshape(x.shape[0], -1)</c> becomes Shape, Gather,
/// Unsqueeze, Concat), with the batch as a symbol. What cannot be folded is an
/// <see cref="OnnxGraphException"/> saying why.
/// </summary>
internal static class OnnxShapeFolding
{
    /// <summary>A Constant node's value.</summary>
    public static OnnxConstant Constant(NodeProto node)
    {
        if (node.Attribute.Count != 1)
        {
            throw new OnnxGraphException($"a Constant has one attribute; this one has {node.Attribute.Count}");
        }

        AttributeProto a = node.Attribute[0];
        return a.Name switch
        {
            "value" => OnnxTensorReader.Read(a.T, "its value"),
            "value_float" => new OnnxConstant([], [a.F], null),
            "value_floats" => new OnnxConstant([a.Floats.Count], [.. a.Floats], null),
            "value_int" => new OnnxConstant([], null, [a.I]),
            "value_ints" => new OnnxConstant([a.Ints.Count], null, [.. a.Ints]),
            _ => throw new OnnxGraphException($"a Constant given as {EchoedText.Quote(a.Name)} is not read; the importer reads value, value_float(s) and value_int(s)"),
        };
    }

    /// <summary>Shape: the value's dims, with the batch as a symbol, sliced by start and end (opset 15).</summary>
    public static OnnxConstant ShapeOf(NodeProto node, OnnxValue value)
    {
        long[] shape = value switch
        {
            OnnxActivation a => [OnnxConstant.Batch, .. a.Dims.Skip(1)],
            OnnxConstant c => c.Dims,
            _ => throw new OnnxGraphException("unreachable"),
        };
        if (value is OnnxActivation activation && activation.Dims.Skip(1).Any(d => d < 0))
        {
            throw new OnnxGraphException($"the shape of {activation.Shape} is not known when the model is read (give the graph input fixed sizes after the batch)");
        }

        // Opset 15 slices the shape with start and end.
        long start = Axis(node.Int("start", 0), shape.Length + 1);
        long end = node.Attribute("end") is null ? shape.Length : Axis(node.Int("end", 0), shape.Length + 1);
        start = Math.Clamp(start, 0, shape.Length);
        end = Math.Clamp(end, start, shape.Length);
        long[] slice = shape[(int)start..(int)end];
        return new OnnxConstant([slice.Length], null, slice);
    }

    /// <summary>A possibly negative axis counted from the front of a tensor of rank <paramref name="rank"/>.</summary>
    public static long Axis(long axis, long rank) => axis < 0 ? axis + rank : axis;

    /// <summary>Gather of a 1-D integer tensor (a shape).</summary>
    public static OnnxConstant Gather(NodeProto node, OnnxConstant data, OnnxConstant indices)
    {
        if (data.Ints is null || data.Dims.Length != 1 || indices.Ints is null)
        {
            throw new OnnxGraphException($"Gather is folded on a 1-D integer tensor (a shape) with integer indices; here the data has shape {data.Shape}{(data.Ints is null ? " of floats" : string.Empty)}");
        }

        if (Axis(node.Int("axis", 0), 1) != 0)
        {
            throw new OnnxGraphException($"Gather along axis {node.Int("axis", 0)} of a 1-D tensor");
        }

        long[] picked = new long[indices.Ints.Length];
        for (int i = 0; i < picked.Length; i++)
        {
            long index = indices.Ints[i] < 0 ? indices.Ints[i] + data.Ints.Length : indices.Ints[i];
            if (index < 0 || index >= data.Ints.Length)
            {
                throw new OnnxGraphException($"index {indices.Ints[i]} is outside the {data.Ints.Length} elements of {data.Values}");
            }

            picked[i] = data.Ints[index];
        }

        return new OnnxConstant(indices.Dims, null, picked);
    }

    /// <summary>Unsqueeze or Squeeze of a known tensor; the axes are an input from opset 13 (<paramref name="axesInput"/>), an attribute before.</summary>
    public static OnnxConstant Resize(NodeProto node, OnnxConstant data, OnnxConstant? axesInput, long opset, bool unsqueeze)
    {
        long[] axes = opset >= 13
            ? axesInput is null ? [] : axesInput.Ints ?? throw new OnnxGraphException("the axes are not integers")
            : node.Attribute("axes") is { } a ? [.. a.Ints] : [];
        var dims = data.Dims.ToList();
        if (unsqueeze)
        {
            int rank = dims.Count + axes.Length;
            foreach (long axis in axes.Select(x => Axis(x, rank)).Order())
            {
                if (axis < 0 || axis > dims.Count)
                {
                    throw new OnnxGraphException($"axis {axis} is outside a tensor of rank {rank}");
                }

                dims.Insert((int)axis, 1);
            }
        }
        else
        {
            long[] squeezed = axes.Length == 0 ? [.. Enumerable.Range(0, dims.Count).Where(i => dims[i] == 1).Select(i => (long)i)] : [.. axes.Select(x => Axis(x, dims.Count))];
            foreach (long axis in squeezed.OrderDescending())
            {
                if (axis < 0 || axis >= dims.Count || dims[(int)axis] != 1)
                {
                    throw new OnnxGraphException($"axis {axis} of shape {data.Shape} is not of size 1");
                }

                dims.RemoveAt((int)axis);
            }
        }

        return data with { Dims = [.. dims] };
    }

    /// <summary>Concat of 1-D integer tensors (shapes).</summary>
    public static OnnxConstant Concat(NodeProto node, OnnxConstant[] parts)
    {
        if (parts.Any(p => p.Dims.Length != 1 || p.Ints is null) || Axis(node.Int("axis", 0), 1) != 0)
        {
            throw new OnnxGraphException("Concat is folded for 1-D integer tensors (shapes) along axis 0");
        }

        long[] joined = [.. parts.SelectMany(p => p.Ints!)];
        return new OnnxConstant([joined.Length], null, joined);
    }

    /// <summary>Cast of a known tensor to float, double, int32 or int64.</summary>
    public static OnnxConstant Cast(NodeProto node, OnnxConstant value)
    {
        long to = node.Int("to", 0);
        return to switch
        {
            1 or 11 => value.Floats is not null ? value : new OnnxConstant(value.Dims, [.. value.Ints!.Select(v => (float)v)], null),
            6 or 7 => value.Ints is not null ? value : new OnnxConstant(value.Dims, null, [.. value.Floats!.Select(v => (long)v)]),
            _ => throw new OnnxGraphException($"Cast to type {to} is not folded; the importer folds casts to float, double, int32 and int64"),
        };
    }
}
