namespace CoDesign.Cli;

/// <summary>The pre-trained compressed Fashion-MNIST model that ships next to the program.</summary>
internal static class ShippedModel
{
    public const string FileName = "fashion-mnist-mlp.cdsm";

    /// <summary>Path of the shipped model; it is copied into the build output's models/ folder.</summary>
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "models", FileName);
}
