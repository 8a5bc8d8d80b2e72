using CoDesign.Model.Files;
using CoDesign.Model.MatrixMarket;
using CoDesign.Model.Tests.Fuzzing;

namespace CoDesign.Model.Tests;

/// <summary>Each documented limit of the text readers is where the reader draws the line, and its message says so.</summary>
public class ReaderLimitTests
{
    private const string Coordinate = "%%MatrixMarket matrix coordinate real general\n";

    [Fact]
    public void DimensionsUpToTheLimitAreRead()
    {
        SparseMatrixData matrix = MatrixMarketReader.Parse($"{Coordinate}1 {MatrixMarketReader.MaxDimension} 1\n1 {MatrixMarketReader.MaxDimension} 2\n");
        Assert.Equal(MatrixMarketReader.MaxDimension, matrix.Cols);
    }

    [Fact]
    public void ADimensionPastTheLimitIsRefused()
    {
        AssertRefused(
            () => MatrixMarketReader.Parse($"{Coordinate}1 16777217 1\n1 1 2\n", "m.mtx"),
            "m.mtx:2: column count 16777217 is more than the 16,777,216 this reader accepts");
    }

    [Fact]
    public void AnEntryCountPastTheLimitIsRefusedBeforeAnyEntryIsRead()
    {
        AssertRefused(
            () => MatrixMarketReader.Parse($"{Coordinate}10000 10000 8388609\n", "m.mtx"),
            "m.mtx:2: entry count 8388609 is more than the 8,388,608 entries this reader accepts");
    }

    [Fact]
    public void ALinePastTheMatrixLineBoundIsRefused()
    {
        string comment = "%" + new string('c', MatrixMarketReader.MaxLineChars);
        AssertRefused(() => MatrixMarketReader.Parse($"{Coordinate}{comment}\n1 1 0\n", "m.mtx"), "m.mtx:2: the line is longer than 65,536 characters");

        // One character less is a line like any other, with or without a CRLF ending.
        string longest = comment[..^1];
        Assert.Empty(MatrixMarketReader.Parse($"{Coordinate}{longest}\r\n1 1 0\r\n").Entries);
    }

    [Fact]
    public void AVectorPastTheValueLimitIsRefusedBeforeItIsAllocated()
    {
        AssertRefused(
            () => VectorFileReader.Parse($"{Coordinate}1 {VectorFileReader.MaxValues + 1} 1\n1 1 5\n", "x.mtx"),
            "x.mtx: a vector of 4,194,305 values is longer than the 4,194,304 this reader accepts");
    }

    [Fact]
    public void AnEndlessTextEndsAtTheSizeLimit()
    {
        // Blank lines forever, as a pipe might deliver: the reader stops at its size limit (here a small one, to be quick).
        var lines = new BoundedLineReader(new EndlessBlankLines(), 100, 1 << 20, problem => new InvalidDataException(problem));
        var error = Assert.Throws<InvalidDataException>(() =>
        {
            while (lines.ReadLine() is not null)
            {
            }
        });
        Assert.Equal("the text goes on past 1,048,576 characters", error.Message);
    }

    [Fact]
    public void LinesEndAtLineFeedsAndTheirCarriageReturnsAreDropped()
    {
        var lines = new BoundedLineReader(new StringReader("ab\r\n\ncd\re\nlast"), 4, 100, problem => new InvalidDataException(problem));
        Assert.Equal(["ab", "", "cd\re", "last"], [lines.ReadLine()!, lines.ReadLine()!, lines.ReadLine()!, lines.ReadLine()!]);
        Assert.Null(lines.ReadLine());
    }

    private static void AssertRefused(Action read, string message)
    {
        var error = Assert.Throws<MatrixMarketFormatException>(read);
        Assert.Equal(message, error.Message);
        ErrorMessageRules.AssertFollowed(error.Message);
    }

    private sealed class EndlessBlankLines : TextReader
    {
        public override int Read(char[] buffer, int index, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[index + i] = i % 2 == 0 ? '\r' : '\n';
            }

            return count;
        }
    }
}
