using CoDesign.Compression.Spmv;
using CoDesign.Model.MatrixMarket;
using CoDesign.Model.Spmv;

namespace CoDesign.Compression.Tests.Spmv;

public class VectorPlanesTests
{
    [Fact]
    public void PlanesAddBackUpToTheVector()
    {
        long[] x = [0, 1, 255, 256, -1, -65536, 123456789012, -(1L << 52)];
        VectorPlane[] planes = VectorPlanes.Split(x);
        for (int j = 0; j < x.Length; j++)
        {
            Assert.Equal(x[j], planes.Sum(p => p.Sign * ((long)p.Values[j] << p.Shift)));
        }
    }

    [Fact]
    public void ABytesVectorIsOnePlane()
    {
        VectorPlane plane = Assert.Single(VectorPlanes.Split([0, 7, 255]));
        Assert.Equal((1, 0), (plane.Sign, plane.Shift));
    }

    [Fact]
    public void ANonIntegerIsRefusedWithItsLineAndIndex()
    {
        VectorData vector = VectorFileReader.Parse("1\n2\n2.5\n", "x.txt");
        MatrixMarketFormatException refused = Assert.Throws<MatrixMarketFormatException>(() => VectorPlanes.Split(vector, 3));
        Assert.Contains("x.txt:3:", refused.Message);
        Assert.Contains("index 2", refused.Message);
    }

    [Fact]
    public void AVectorOfTheWrongLengthIsRefused()
    {
        Assert.Throws<MatrixMarketFormatException>(() => VectorPlanes.Split(VectorFileReader.Parse("1 2"), 3));
    }
}
