namespace CoDesign.Model.Datasets;

/// <summary>Which of Fashion-MNIST's two sets a folder of its IDX files stands for.</summary>
public enum FashionMnistPart
{
    /// <summary>The 60,000 training images.</summary>
    Training,

    /// <summary>The 10,000 test images.</summary>
    Test,
}
