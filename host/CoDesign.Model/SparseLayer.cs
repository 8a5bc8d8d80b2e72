using CoDesign.Kernels;

namespace CoDesign.Model;

/// <summary>
/// One fully connected layer in compressed form: y = W x + b, W as 4-bit indices into a 16-entry
/// codebook of 16-bit fixed-point shared weights, in CCS over the PEs; then <see cref="Output"/>.
/// </summary>
public sealed class SparseLayer
{
    /// <summary>Creates a layer and checks that its parts agree.</summary>
    public SparseLayer(CcsMatrix weights, short[] codebook, int[] bias, LayerOutput output, int outputShift, float weightScale)
    {
        if (codebook.Length != CcsEntry.CodebookSize)
        {
            throw new ArgumentException($"codebook has {codebook.Length} entries, expected {CcsEntry.CodebookSize}", nameof(codebook));
        }

        if (codebook[0] != 0)
        {
            throw new ArgumentException($"codebook entry 0 is {codebook[0]}; it must be 0 because padding entries use it", nameof(codebook));
        }

        if (bias.Length != weights.Rows)
        {
            throw new ArgumentException($"bias has {bias.Length} values for {weights.Rows} rows", nameof(bias));
        }

        if (outputShift is < 0 or > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(outputShift), outputShift, "shift must be 0..31");
        }

        Weights = weights;
        Codebook = codebook;
        Bias = bias;
        Output = output;
        OutputShift = outputShift;
        WeightScale = weightScale;
    }

    /// <summary>The weight matrix as codebook indices in CCS.</summary>
    public CcsMatrix Weights { get; }

    /// <summary>The 16 shared weights (signed 16-bit fixed point); entry 0 is zero.</summary>
    public short[] Codebook { get; }

    /// <summary>Bias per output row, in accumulator units.</summary>
    public int[] Bias { get; }

    /// <summary>What the layer emits.</summary>
    public LayerOutput Output { get; }

    /// <summary>Right shift applied before saturating to 8 bits (ignored for <see cref="LayerOutput.Raw32"/>).</summary>
    public int OutputShift { get; }

    /// <summary>Real value of one codebook unit (informational: the integer path never uses it).</summary>
    public float WeightScale { get; }

    /// <summary>Number of outputs.</summary>
    public int Rows => Weights.Rows;

    /// <summary>Number of inputs.</summary>
    public int Cols => Weights.Cols;

    /// <summary>
    /// Outputs <paramref name="firstRow"/> .. <paramref name="firstRow"/> + <paramref name="rowCount"/> - 1
    /// as a layer of their own: their weights and biases, the same codebook and requantization, so its
    /// outputs are those rows of this layer's, bit for bit.
    /// </summary>
    public SparseLayer SliceRows(int firstRow, int rowCount) =>
        firstRow == 0 && rowCount == Rows
            ? this
            : new SparseLayer(Weights.SliceRows(firstRow, rowCount), Codebook, Bias.AsSpan(firstRow, rowCount).ToArray(), Output, OutputShift, WeightScale);

    /// <summary>The same weights and biases with another output (raw sums, or requantized activations).</summary>
    public SparseLayer WithOutput(LayerOutput output) =>
        output == Output ? this : new SparseLayer(Weights, Codebook, Bias, output, OutputShift, WeightScale);

    /// <summary>The same layer with its rows interleaved over <paramref name="peCount"/> PEs.</summary>
    public SparseLayer Repartition(int peCount) =>
        peCount == Weights.PeCount ? this : new SparseLayer(Weights.Repartition(peCount), Codebook, Bias, Output, OutputShift, WeightScale);
}
