using System.Globalization;
using CoDesign.Model;
using CoDesign.Model.Files;
using Google.Protobuf;
using Onnx;

namespace CoDesign.Compression.Onnx;

/// <summary>
/// Reads an ONNX file of a multilayer perceptron, as PyTorch's, TensorFlow's and Keras' exporters write
/// one, into a <see cref="DenseMlp"/> (the type <c>codesign train</c> writes, so <c>compress</c> and
/// <c>infer</c> take it).
/// </summary>
/// <remarks>
/// The graph is walked once in its (topological) order. Tensors known at import (initializers,
/// Constant nodes, and the shape arithmetic exporters write around a Reshape: Shape, Gather,
/// Unsqueeze, Squeeze, Concat, Cast) are folded; the one run-time path from the input must be a chain
/// of layers: Gemm (any transB, alpha, beta; transA 0) or MatMul followed by an Add of the bias, with
/// Relu between layers, Flatten or Reshape to <c>[batch, features]</c> before the first, Identity and
/// Dropout anywhere, and Softmax or LogSoftmax after the last (dropped: the predicted class is the same).
/// Anything else ends the import with one message that names the node, its op and why. Opsets 9 to 17
/// of the default domain.
/// </remarks>
public static class OnnxImporter
{
    /// <summary>The oldest default-domain opset read.</summary>
    public const long MinOpset = 9;

    /// <summary>The newest default-domain opset read.</summary>
    public const long MaxOpset = 17;

    /// <summary>The largest ONNX file read: 256 MiB, as for the other model files.</summary>
    public const long MaxFileBytes = ModelFormatException.DefaultMaxFileBytes;

    /// <summary>
    /// Imports <paramref name="path"/>. The network's inputs are <paramref name="scaling"/> of the pixels
    /// (pixels / 255 when null), folded into the first layer so the result takes pixels / 255 as every
    /// <see cref="DenseMlp"/> does. Every problem with the file is a <see cref="ModelFormatException"/>
    /// whose message names the file and, where one is to blame, the node and its op.
    /// </summary>
    public static OnnxImport Import(string path, InputScaling? scaling = null) =>
        Parse(ModelFormatException.ReadAllBytes(path, "ONNX model", MaxFileBytes), path, scaling);

    /// <summary>Imports the ONNX file image <paramref name="bytes"/>; <paramref name="path"/> names it in messages. See <see cref="Import"/>.</summary>
    public static OnnxImport Parse(byte[] bytes, string path, InputScaling? scaling = null)
    {
        scaling ??= InputScaling.PixelsOver255;
        scaling.Validate();
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFormatException($"{path}: not an ONNX model (the protobuf does not parse: {e.Message.TrimEnd('.')})", e);
        }

        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            throw new ModelFormatException($"{path}: not an ONNX model, or an empty one: it holds no graph nodes");
        }

        long opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        if (opset is < MinOpset or > MaxOpset)
        {
            throw new ModelFormatException(
                opset == 0
                    ? $"{path}: the model imports no opset of the default ONNX domain"
                    : $"{path}: opset {opset}; the importer reads opsets {MinOpset} to {MaxOpset} (convert it with onnx.version_converter.convert_version(model, {MaxOpset}))");
        }

        var walk = new GraphWalk(path, model.Graph, opset);
        DenseMlp network = walk.Run();
        var notes = new List<string>(walk.Notes);
        if (!scaling.IsDefault)
        {
            scaling.FoldInto(network);
            notes.Add($"inputs are {scaling}, folded into the first layer");
        }

        string producer = string.Join(' ', new[] { model.ProducerName, model.ProducerVersion }.Where(s => !string.IsNullOrEmpty(s)));
        return new OnnxImport(network, opset, producer, notes);
    }

    /// <summary>One pass over the graph's nodes, folding constants and collecting the layers.</summary>
    private sealed class GraphWalk(string path, GraphProto graph, long opset)
    {
        private readonly Dictionary<string, OnnxValue> _values = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TensorProto> _initializers = graph.Initializer.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        private readonly List<(float[] Weights, float[] Biases, int Inputs, int Outputs)> _layers = [];
        private readonly List<string> _notes = [];
        private NodeProto? _node;
        private int _nodeIndex;

        public IReadOnlyList<string> Notes => _notes;

        public DenseMlp Run()
        {
            DefineInput();
            for (_nodeIndex = 0; _nodeIndex < graph.Node.Count; _nodeIndex++)
            {
                _node = graph.Node[_nodeIndex];
                try
                {
                    Visit(_node);
                }
                catch (OnnxGraphException e)
                {
                    throw new ModelFormatException($"{path}: {NodeName()}: {e.Message}");
                }
            }

            _node = null;
            return Finish();
        }

        private void DefineInput()
        {
            ValueInfoProto[] inputs = [.. graph.Input.Where(i => !_initializers.ContainsKey(i.Name))];
            if (inputs.Length != 1)
            {
                throw new ModelFormatException(
                    $"{path}: the graph has {inputs.Length} inputs ({string.Join(", ", inputs.Select(i => EchoedText.Quote(i.Name)))}); an MLP takes one, the image");
            }

            ValueInfoProto input = inputs[0];
            string name = $"graph input {EchoedText.Quote(input.Name)}";
            if (input.Type?.TensorType is not { } tensor)
            {
                throw new ModelFormatException($"{path}: {name} is not a tensor");
            }

            if (tensor.ElemType != 1)
            {
                throw new ModelFormatException($"{path}: {name} has elements of type {tensor.ElemType}; the importer reads float (1) inputs");
            }

            long[] dims = tensor.Shape is null ? [] : [.. tensor.Shape.Dim.Select(d => d.HasDimValue && d.DimValue > 0 ? d.DimValue : -1)];
            if (dims.Length < 2)
            {
                throw new ModelFormatException(
                    $"{path}: {name} has {(tensor.Shape is null ? "no shape" : $"rank {dims.Length}")}; the importer needs [batch, features] or [batch, channels, height, width]");
            }

            _values[input.Name] = new OnnxActivation(dims, ActivationStage.Input, -1);
        }

        private DenseMlp Finish()
        {
            if (graph.Output.Count != 1)
            {
                throw new ModelFormatException($"{path}: the graph has {graph.Output.Count} outputs; an MLP classifier has one");
            }

            string output = graph.Output[0].Name;
            string where = $"{path}: graph output {EchoedText.Quote(output)}";
            if (!_values.TryGetValue(output, out OnnxValue? value) || value is not OnnxActivation activation)
            {
                throw new ModelFormatException($"{where} is not computed from the input");
            }

            if (_layers.Count == 0)
            {
                throw new ModelFormatException($"{where}: the graph has no Gemm or MatMul layer");
            }

            if (activation.Layer != _layers.Count - 1 || activation.Stage is ActivationStage.Input)
            {
                throw new ModelFormatException($"{where} is not the last layer's output");
            }

            if (activation.Stage is ActivationStage.Relu)
            {
                throw new ModelFormatException($"{where} passes the last layer through Relu; the devices hand out the last layer's raw scores (export the model without the final Relu)");
            }

            var network = new DenseMlp([_layers[0].Inputs, .. _layers.Select(l => l.Outputs)]);
            for (int l = 0; l < _layers.Count; l++)
            {
                _layers[l].Weights.CopyTo(network.Weights[l], 0);
                _layers[l].Biases.CopyTo(network.Biases[l], 0);
            }

            return network;
        }

        private string NodeName()
        {
            string name = string.IsNullOrEmpty(_node!.Name) ? $"#{_nodeIndex}" : EchoedText.Quote(_node.Name);
            return $"node {name} ({EchoedText.Quote(_node.OpType).Trim('"')})";
        }

        private void Visit(NodeProto node)
        {
            if (node.Domain is not ("" or "ai.onnx"))
            {
                throw new OnnxGraphException($"op of domain {EchoedText.Quote(node.Domain)} is not supported; the importer reads default-domain ops of MLPs");
            }

            switch (node.OpType)
            {
                case "Constant":
                    Define(OnnxShapeFolding.Constant(node));
                    break;
                case "Identity":
                    Define(Input(0));
                    break;
                case "Dropout":
                    Define(Input(0));
                    Note("Dropout skipped (inference)");
                    break;
                case "Shape":
                    Define(OnnxShapeFolding.ShapeOf(node, Input(0)));
                    break;
                case "Gather":
                    Define(OnnxShapeFolding.Gather(node, Constant(0, "the indexed tensor"), Constant(1, "the indices")));
                    break;
                case "Unsqueeze":
                case "Squeeze":
                    bool unsqueeze = node.OpType == "Unsqueeze";
                    Define(OnnxShapeFolding.Resize(
                        node,
                        Constant(0, "the value " + (unsqueeze ? "unsqueezed" : "squeezed")),
                        opset >= 13 && HasInput(1) ? Constant(1, "the axes") : null,
                        opset,
                        unsqueeze));
                    break;
                case "Concat":
                    Define(OnnxShapeFolding.Concat(node, [.. Enumerable.Range(0, node.Input.Count).Select(i => Constant(i, $"part {i}"))]));
                    break;
                case "Cast":
                    Define(OnnxShapeFolding.Cast(node, Constant(0, "the value cast")));
                    break;
                case "Reshape":
                    Define(Reshape(Input(0), Constant(1, "the target shape")));
                    break;
                case "Flatten":
                    Define(Flatten(Activation(0)));
                    break;
                case "Gemm":
                    Define(Gemm());
                    break;
                case "MatMul":
                    Define(MatMul());
                    break;
                case "Add":
                    Define(Add());
                    break;
                case "Relu":
                    Define(Relu(Activation(0)));
                    break;
                case "Softmax":
                case "LogSoftmax":
                    Define(Normalize(Activation(0)));
                    break;
                default:
                    throw new OnnxGraphException(
                        "op not supported; the importer reads MLPs: Gemm, MatMul + Add, Relu, Flatten, Reshape (with the Shape, Gather, Unsqueeze, Concat, Constant arithmetic around it), Identity, Dropout, and Softmax or LogSoftmax at the output");
            }
        }

        private void Note(string note)
        {
            if (!_notes.Contains(note))
            {
                _notes.Add(note);
            }
        }

        private void Define(OnnxValue value)
        {
            if (_node!.Output.Count == 0 || string.IsNullOrEmpty(_node.Output[0]))
            {
                throw new OnnxGraphException("the node has no output");
            }

            _values[_node.Output[0]] = value;
        }

        private OnnxValue Input(int index)
        {
            if (index >= _node!.Input.Count || string.IsNullOrEmpty(_node.Input[index]))
            {
                throw new OnnxGraphException($"input {index} is missing");
            }

            string name = _node.Input[index];
            if (_values.TryGetValue(name, out OnnxValue? value))
            {
                return value;
            }

            if (_initializers.TryGetValue(name, out TensorProto? tensor))
            {
                OnnxConstant constant = OnnxTensorReader.Read(tensor, $"initializer {EchoedText.Quote(name)}");
                _values[name] = constant;
                return constant;
            }

            throw new OnnxGraphException($"input {EchoedText.Quote(name)} is neither an initializer nor the output of an earlier node");
        }

        private OnnxConstant Constant(int index, string what) => Input(index) as OnnxConstant
            ?? throw new OnnxGraphException($"{what} (input {index}) is computed from the image at run time; the importer folds only shapes and constants known when the model is read");

        private OnnxActivation Activation(int index) => Input(index) as OnnxActivation
            ?? throw new OnnxGraphException($"input {index} is a constant; the importer expects the image's path through the network here");

        private bool HasInput(int index) => index < _node!.Input.Count && !string.IsNullOrEmpty(_node.Input[index]);

        private OnnxValue Reshape(OnnxValue data, OnnxConstant shape)
        {
            if (shape.Ints is null || shape.Dims.Length != 1)
            {
                throw new OnnxGraphException($"the target shape is a {shape.Shape} tensor{(shape.Ints is null ? " of floats" : string.Empty)}, not a list of sizes");
            }

            if (data is OnnxConstant)
            {
                throw new OnnxGraphException("a Reshape of a constant is not folded; the importer reshapes the image's path through the network");
            }

            var activation = (OnnxActivation)data;
            long features = activation.Features;
            if (features < 0)
            {
                throw new OnnxGraphException($"the input of shape {activation.Shape} has sizes the file does not fix; the importer needs them to check the Reshape");
            }

            if (_node!.Int("allowzero", 0) != 0 && shape.Ints.Contains(0))
            {
                throw new OnnxGraphException($"a Reshape to {shape.Values} with allowzero = 1 makes an empty tensor");
            }

            // Position 0 must be the batch: the symbol Shape read, -1 inferred from the features, or the exporter's fixed batch size.
            long[] target = [.. shape.Ints.Select((d, i) => d == 0 && i < activation.Dims.Length ? (i == 0 ? OnnxConstant.Batch : activation.Dims[i]) : d)];
            if (target.Length < 2 || target.Skip(1).Any(d => d == OnnxConstant.Batch))
            {
                throw new OnnxGraphException($"a Reshape of {activation.Shape} to {shape.Values} does not keep the batch first; the importer reshapes to [batch, features]");
            }

            long known = target.Skip(1).Where(d => d > 0).Aggregate(1L, (a, b) => a * b);
            int inferred = target.Skip(1).Count(d => d == -1);
            // With a fixed first size, a -1 after it would take the real batch into the features.
            if (inferred > 1 || target.Skip(1).Any(d => d < -1 || d == 0) || (target[0] != OnnxConstant.Batch && inferred == 1))
            {
                throw new OnnxGraphException($"a Reshape of {activation.Shape} to {shape.Values} mixes the batch with the features or leaves sizes open; the importer reshapes to [batch, {features}]");
            }

            long[] dims = [OnnxConstant.Batch, .. target.Skip(1).Select(d => d == -1 ? features / known : d)];
            bool batchFirst = target[0] == OnnxConstant.Batch || target[0] == -1 || target[0] > 0;
            if (!batchFirst || dims.Skip(1).Aggregate(1L, (a, b) => a * b) != features)
            {
                throw new OnnxGraphException($"a Reshape of {activation.Shape} to {shape.Values} mixes the batch with the {features} values of each image; the importer reshapes to [batch, {features}]");
            }

            if (target[0] > 0)
            {
                Note($"a Reshape to a fixed batch of {target[0]} is read as one image at a time");
            }

            return Reshaped(activation, dims);
        }

        private OnnxActivation Flatten(OnnxActivation activation)
        {
            long axis = OnnxShapeFolding.Axis(_node!.Int("axis", 1), activation.Dims.Length);
            if (axis != 1)
            {
                throw new OnnxGraphException($"Flatten at axis {_node!.Int("axis", 1)} of {activation.Shape}; the importer flattens at axis 1, to [batch, features]");
            }

            if (activation.Features < 0)
            {
                throw new OnnxGraphException($"the input of shape {activation.Shape} has sizes the file does not fix");
            }

            return Reshaped(activation, [OnnxConstant.Batch, activation.Features]);
        }

        private static OnnxActivation Reshaped(OnnxActivation activation, long[] dims)
        {
            if (activation.Stage is not ActivationStage.Input && dims.Length != 2)
            {
                throw new OnnxGraphException($"a layer's output of shape {activation.Shape} is reshaped to rank {dims.Length}; between layers the importer keeps [batch, features]");
            }

            return activation with { Dims = dims };
        }

        /// <summary>The activation a new layer reads: the flattened input before the first layer, the previous layer's Relu output after it.</summary>
        private int LayerInput(OnnxActivation activation)
        {
            if (activation.Stage is ActivationStage.Input && _layers.Count > 0)
            {
                throw new OnnxGraphException("the graph input feeds a second layer; the importer reads one chain of layers");
            }

            if (activation.Stage is ActivationStage.Product or ActivationStage.Linear)
            {
                throw new OnnxGraphException($"it follows layer {activation.Layer} with no Relu between them");
            }

            if (activation.Stage is ActivationStage.Normalized)
            {
                throw new OnnxGraphException("it follows a Softmax; Softmax and LogSoftmax are read only at the output");
            }

            if (activation.Stage is ActivationStage.Relu && activation.Layer != _layers.Count - 1)
            {
                throw new OnnxGraphException($"it reads layer {activation.Layer}'s output, not the last layer's ({_layers.Count - 1}); the importer reads one chain of layers");
            }

            if (activation.Dims.Length != 2)
            {
                throw new OnnxGraphException($"its input has shape {activation.Shape}; flatten it to [batch, features] first (Flatten or Reshape)");
            }

            return checked((int)activation.Features);
        }

        private OnnxActivation Gemm()
        {
            OnnxActivation a = Activation(0);
            int inputs = LayerInput(a);
            if (_node!.Int("transA", 0) != 0)
            {
                throw new OnnxGraphException("transA = 1 would transpose the batch with the features");
            }

            OnnxConstant b = Weights(1);
            bool transB = _node!.Int("transB", 0) != 0;
            float alpha = _node!.Float("alpha", 1f);
            float beta = _node!.Float("beta", 1f);
            long[] dims = transB ? b.Dims : [b.Dims[1], b.Dims[0]];
            float[] weights = Layout(b, transB, inputs, alpha);
            int outputs = (int)dims[0];
            float[] biases = new float[outputs];
            if (HasInput(2))
            {
                AddBias(biases, Constant(2, "the bias C"), beta);
            }

            return AddLayer(weights, biases, inputs, outputs, ActivationStage.Linear);
        }

        private OnnxActivation MatMul()
        {
            if (Input(0) is OnnxConstant)
            {
                throw new OnnxGraphException("the constant is on the left; the importer reads MatMul(activations, weights [inputs x outputs])");
            }

            OnnxActivation a = Activation(0);
            int inputs = LayerInput(a);
            OnnxConstant b = Weights(1);
            float[] weights = Layout(b, transposed: false, inputs, 1f);
            return AddLayer(weights, new float[b.Dims[1]], inputs, (int)b.Dims[1], ActivationStage.Product);
        }

        private OnnxConstant Weights(int index)
        {
            OnnxConstant b = Constant(index, "the weight matrix");
            if (b.Floats is null || b.Dims.Length != 2)
            {
                throw new OnnxGraphException($"the weights (input {index}) are a {b.Shape} tensor{(b.Floats is null ? " of integers" : string.Empty)}; a layer's weights are a 2-D float matrix");
            }

            return b;
        }

        /// <summary>Row-major [outputs x inputs] weights times <paramref name="alpha"/>, from B stored [outputs x inputs] (transposed) or [inputs x outputs].</summary>
        private static float[] Layout(OnnxConstant b, bool transposed, int inputs, float alpha)
        {
            int rows = (int)b.Dims[0];
            int cols = (int)b.Dims[1];
            int bInputs = transposed ? cols : rows;
            if (bInputs != inputs)
            {
                throw new OnnxGraphException(
                    $"the weights of shape {b.Shape}{(transposed ? " (transposed)" : string.Empty)} take {bInputs} inputs; the layer receives {inputs}");
            }

            float[] weights = new float[rows * cols];
            float[] source = b.Floats!;
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    // transposed: B[o, i]; else B[i, o].
                    int target = transposed ? (r * cols) + c : (c * rows) + r;
                    weights[target] = alpha * source[(r * cols) + c];
                }
            }

            return weights;
        }

        private static void AddBias(float[] biases, OnnxConstant c, float beta)
        {
            if (c.Floats is null)
            {
                throw new OnnxGraphException($"the bias is an integer tensor of shape {c.Shape}");
            }

            bool perOutput = c.Count == biases.Length && c.Dims.Count(d => d != 1) <= 1 && (c.Dims.Length == 0 || c.Dims[^1] == biases.Length);
            if (!perOutput && c.Count != 1)
            {
                throw new OnnxGraphException($"the bias of shape {c.Shape} does not broadcast to one value per output ({biases.Length})");
            }

            for (int o = 0; o < biases.Length; o++)
            {
                biases[o] += beta * c.Floats[perOutput ? o : 0];
            }
        }

        private OnnxActivation AddLayer(float[] weights, float[] biases, int inputs, int outputs, ActivationStage stage)
        {
            _layers.Add((weights, biases, inputs, outputs));
            return new OnnxActivation([OnnxConstant.Batch, outputs], stage, _layers.Count - 1);
        }

        private OnnxActivation Add()
        {
            (OnnxActivation? activation, OnnxConstant? constant) = (Input(0), Input(1)) switch
            {
                (OnnxActivation a, OnnxConstant c) => (a, c),
                (OnnxConstant c, OnnxActivation a) => (a, c),
                _ => (null, null),
            };
            if (activation is null || constant is null)
            {
                throw new OnnxGraphException("an Add is read as a layer's bias: one input the layer's product, the other a constant");
            }

            if (activation.Stage is not (ActivationStage.Product or ActivationStage.Linear) || activation.Layer != _layers.Count - 1)
            {
                throw new OnnxGraphException($"an Add is read as the bias of the MatMul or Gemm right before it; here it adds to {(activation.Stage is ActivationStage.Input ? "the graph input" : $"layer {activation.Layer}'s output after its {activation.Stage}")}");
            }

            AddBias(_layers[^1].Biases, constant, 1f);
            return activation with { Stage = ActivationStage.Linear };
        }

        private static OnnxActivation Relu(OnnxActivation activation) => activation.Stage switch
        {
            ActivationStage.Linear or ActivationStage.Relu => activation with { Stage = ActivationStage.Relu },
            ActivationStage.Product => activation with { Stage = ActivationStage.Relu },
            _ => throw new OnnxGraphException($"Relu of {(activation.Stage is ActivationStage.Input ? "the graph input" : "a Softmax")}; the importer reads Relu between layers"),
        };

        private OnnxActivation Normalize(OnnxActivation activation)
        {
            if (activation.Stage is not (ActivationStage.Linear or ActivationStage.Product) || activation.Layer != _layers.Count - 1)
            {
                throw new OnnxGraphException("Softmax and LogSoftmax are read only right after the last layer");
            }

            long axis = OnnxShapeFolding.Axis(_node!.Int("axis", opset >= 13 ? -1 : 1), activation.Dims.Length);
            if (axis != 1)
            {
                throw new OnnxGraphException(string.Create(CultureInfo.InvariantCulture, $"{_node!.OpType} along axis {_node!.Int("axis", 0)} of {activation.Shape}; it must run over the classes (axis 1)"));
            }

            Note($"{_node!.OpType} at the output dropped: it keeps the order of the scores, so the predicted class (argmax) is the same");
            return activation with { Stage = ActivationStage.Normalized };
        }
    }
}
