using CoDesign.Compression.Onnx;
using CoDesign.Model.Datasets;
using Microsoft.ML.OnnxRuntime;

namespace CoDesign.Compression.Tests.Onnx;

/// <summary>Runs an ONNX file through Microsoft.ML.OnnxRuntime on real images, scaled as the model was trained.</summary>
internal static class OnnxRuntimeReference
{
    /// <summary>The graph's output for each of <paramref name="images"/>, <c>images.Count x outputs</c> row-major.</summary>
    public static float[] Run(string path, LabeledImages images, InputScaling scaling, out int outputs)
    {
        using var session = new InferenceSession(path);
        string input = session.InputNames[0];
        int[] dims = session.InputMetadata[input].Dimensions;
        long[] shape = [images.Count, .. dims.Skip(1).Select(d => (long)d)];
        float[] data = new float[images.Pixels.Length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((images.Pixels[i] - scaling.Mean) * scaling.Scale);
        }

        using OrtValue tensor = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(options, [input], [tensor], session.OutputNames);
        float[] result = results[0].GetTensorDataAsSpan<float>().ToArray();
        outputs = result.Length / images.Count;
        return result;
    }
}
