namespace CoDesign.Model;

/// <summary>What a layer hands on after its sparse product and bias.</summary>
public enum LayerOutput : byte
{
    /// <summary>ReLU, shift right by the layer's shift (rounding half up), saturate to unsigned 8 bits.</summary>
    ReluActivations8 = 0,

    /// <summary>The signed 32-bit accumulators themselves (logits, or a plain SpMV result).</summary>
    Raw32 = 1,
}
