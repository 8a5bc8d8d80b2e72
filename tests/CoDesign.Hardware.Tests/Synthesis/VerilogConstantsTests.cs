using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Constants;

namespace CoDesign.Hardware.Tests.Synthesis;

/// <summary>C# constants become Verilog localparams of the C# type's width, named TYPE_MEMBER.</summary>
public class VerilogConstantsTests
{
    [Theory]
    [InlineData("FrameType", "FRAME_TYPE")]
    [InlineData("EscapeXor", "ESCAPE_XOR")]
    [InlineData("Crc32Init", "CRC32_INIT")]
    [InlineData("IOError", "IO_ERROR")]
    [InlineData("MAX_LEN", "MAX_LEN")]
    public void NamesBecomeUpperSnakeCase(string name, string expected) => Assert.Equal(expected, VerilogConstants.UpperSnake(name));

    [Fact]
    public void EnumMembersAndConstFieldsKeepTheirWidthsAndLines()
    {
        using var folder = new BenchFolder("constants");
        string file = Write(folder, "Codes.cs", """
            namespace Demo;

            public enum Kind : byte
            {
                First = 1,
                Last = 0xFE,
            }

            public static class Limits
            {
                public const int Size = 12;
                public const short Offset = -3;
                public const long Big = 1L << 40;
                public const bool Enabled = true;
                public const string Name = "ab\"c";
                private const int Hidden = 5;
                public static int NotConstant => Hidden;
            }
            """);

        string text = VerilogConstants.GenerateInclude([file], ["Kind", "Demo.Limits"], baseDirectory: folder.Path);

        Assert.Contains("localparam [7:0] KIND_FIRST = 8'h01; // Codes.cs:5\n", text, StringComparison.Ordinal);
        Assert.Contains("localparam [7:0] KIND_LAST = 8'hFE; // Codes.cs:6\n", text, StringComparison.Ordinal);
        Assert.Contains("localparam [31:0] LIMITS_SIZE = 32'd12; // Codes.cs:11\n", text, StringComparison.Ordinal);
        Assert.Contains("localparam signed [15:0] LIMITS_OFFSET = -16'sd3; // Codes.cs:12\n", text, StringComparison.Ordinal);
        Assert.Contains("localparam [63:0] LIMITS_BIG = 64'd1099511627776;", text, StringComparison.Ordinal);
        Assert.Contains("localparam [0:0] LIMITS_ENABLED = 1'b1;", text, StringComparison.Ordinal);
        Assert.Contains("localparam [31:0] LIMITS_NAME = \"ab\\\"c\";", text, StringComparison.Ordinal);
        Assert.DoesNotContain("HIDDEN", text, StringComparison.Ordinal);
        Assert.StartsWith("GENERATED from C# constants; do not edit.\n// Sources:\n//   Codes.cs\n// Regenerate with: codesign kernel constants Codes.cs --class Kind --class Demo.Limits\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void StaticReadonlyFieldsAreRefused()
    {
        using var folder = new BenchFolder("constants");
        string file = Write(folder, "Sizes.cs", "public static class Sizes\n{\n    public static readonly int Header = 8;\n}\n");

        var e = Assert.Throws<KernelCompileException>(() => VerilogConstants.Read(VerilogConstants.Bind([file]), "Sizes"));

        var diagnostic = Assert.Single(e.Diagnostics);
        Assert.Equal(("CDK0902", 3), (diagnostic.Code, diagnostic.Line));
        Assert.Contains("'static readonly' field 'Sizes.Header'", diagnostic.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingTypeIsNamed()
    {
        using var folder = new BenchFolder("constants");
        string file = Write(folder, "Empty.cs", "public static class Empty\n{\n}\n");

        var e = Assert.Throws<KernelCompileException>(() => VerilogConstants.Read(VerilogConstants.Bind([file]), "Nowhere"));

        Assert.Contains("type 'Nowhere' is not declared", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FilesOfALargerProjectBindWithoutItsOtherFolders()
    {
        // FrameCodec.cs uses CoDesign.Kernels, which is not beside it: its constants still bind.
        string file = Path.Combine(HardwareSources.Root, "..", "host", "CoDesign.Runtime", "Link", "FrameCodec.cs");

        IReadOnlyList<VerilogConstant> constants = VerilogConstants.Read(VerilogConstants.Bind([file]), "FrameCodec");

        Assert.Equal(["FRAME_CODEC_FLAG", "FRAME_CODEC_ESCAPE", "FRAME_CODEC_ESCAPE_XOR", "FRAME_CODEC_OVERHEAD"], constants.Select(c => c.Name));
        Assert.Equal("localparam [7:0] FRAME_CODEC_FLAG = 8'h7E; // FrameCodec.cs:16", constants[0].ToVerilog());
    }

    private static string Write(BenchFolder folder, string name, string text)
    {
        string path = Path.Combine(folder.Path, name);
        File.WriteAllText(path, text);
        return path;
    }
}
