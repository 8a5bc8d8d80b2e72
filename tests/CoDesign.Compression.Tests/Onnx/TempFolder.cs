namespace CoDesign.Compression.Tests.Onnx;

/// <summary>A fresh temporary folder, removed with what it holds on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("codesign-onnx-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
