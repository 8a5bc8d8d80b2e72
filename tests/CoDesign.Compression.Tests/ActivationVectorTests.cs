using CoDesign.Model.MatrixMarket;

namespace CoDesign.Compression.Tests;

public class ActivationVectorTests
{
    [Fact]
    public void ConvertsWholeNumbersFromZeroTo255()
    {
        VectorData vector = VectorFileReader.Parse("0\n1 2\n255\n", "x.txt");
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, ActivationVector.FromVector(vector, 4));
    }

    [Theory]
    [InlineData("3\n4\n256\n", "x.txt:3: index 2: value 256 is out of range")]
    [InlineData("3\n-1\n", "x.txt:2: index 1: value -1 is out of range")]
    [InlineData("# comment\n1.5 2\n", "x.txt:2: index 0: value 1.5 is not an integer")]
    public void NamesTheLineIndexAndAllowedRange(string text, string expected)
    {
        VectorData vector = VectorFileReader.Parse(text, "x.txt");
        var error = Assert.Throws<MatrixMarketFormatException>(() => ActivationVector.FromVector(vector, vector.Length));
        Assert.StartsWith(expected, error.Message);
        Assert.Contains("0..255", error.Message);
    }

    [Fact]
    public void RefusesAVectorOfTheWrongLength()
    {
        var error = Assert.Throws<MatrixMarketFormatException>(() => ActivationVector.FromVector(VectorFileReader.Parse("1 2 3", "x.txt"), 4));
        Assert.Equal("x.txt: the vector has 3 values, but the matrix has 4 columns", error.Message);
    }
}
