using System.CommandLine;
using System.Globalization;
using CoDesign.Compression;
using CoDesign.Hardware;
using CoDesign.Model.MatrixMarket;
using CoDesign.Runtime;
using CoDesign.Runtime.Compile;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;

namespace CoDesign.Cli;

/// <summary>
/// <c>codesign spmv</c>: y = A x for a Matrix Market matrix and an 8-bit vector, through the same
/// compile, deploy and infer path as a network. y goes to standard output, one value per line; the
/// report and any quantization warning go to standard error.
/// </summary>
internal static class SpmvCommand
{
    public static Command Create()
    {
        var matrix = new Option<string>("--matrix") { Description = "Matrix Market file (coordinate or array; real, integer or pattern).", Required = true };
        var vector = new Option<string>("--vector") { Description = "Vector file: one integer 0..255 per column (whitespace separated, or a Matrix Market array).", Required = true };
        var pes = new Option<int>("--pes") { Description = "Processing elements.", DefaultValueFactory = _ => DeviceProfile.EmulatorDefault.PeCount };
        var device = new Option<string>("--device", "-d") { Description = $"Device to run on: {string.Join(", ", HardwareDevices.Known)}.", DefaultValueFactory = _ => "emulator" };
        var command = new Command("spmv", "Multiply a Matrix Market matrix by a vector on the accelerator and print y.") { matrix, vector, pes, device };
        command.SetAction(parse => CommandFailure.Guard(() => Run(parse.GetValue(matrix)!, parse.GetValue(vector)!, parse.GetValue(pes), parse.GetValue(device)!)));
        return command;
    }

    private static int Run(string matrixPath, string vectorPath, int peCount, string deviceName)
    {
        if (peCount <= 0)
        {
            throw new ArgumentException($"--pes must be positive, got {peCount}");
        }

        SparseMatrixData matrix = MatrixMarketReader.Read(matrixPath);
        byte[] x = ActivationVector.FromVector(VectorFileReader.Read(vectorPath), matrix.Cols);
        SpmvModel encoded = SpmvModelBuilder.Build(matrix, peCount, Path.GetFileNameWithoutExtension(matrixPath));
        if (encoded.Report.Warning is { } warning)
        {
            Console.Error.WriteLine($"warning: {warning}");
        }

        // The emulator is sized to the problem (weight memory, scratch, frame size); hardware devices
        // report their own sizes and refuse what does not fit.
        DeviceProfile roomy = DeviceProfile.EmulatorDefault with { PeCount = peCount, PersistentBytes = int.MaxValue / 2, ScratchBytes = int.MaxValue / 2, MaxPayload = CoDesign.Runtime.Link.Frame.MaxPayload };
        DeviceImage probe = ModelCompiler.Compile(encoded.Model, roomy);
        DeviceProfile sized = roomy with { PersistentBytes = DeviceImageSize(probe.ImageBytes), ScratchBytes = probe.ScratchBytes };

        using ConnectedDevice connected = HardwareDevices.Open(deviceName, peCount, sized);
        DeviceSession session = connected.Session;
        DeployedModel deployed = session.Deploy(ModelCompiler.Compile(encoded.Model, session.Profile));
        InferenceResult result = session.Infer(deployed, x, 1);

        var output = new System.Text.StringBuilder();
        foreach (int raw in result.Outputs)
        {
            output.AppendLine(encoded.Report.IsExact ? raw.ToString(CultureInfo.InvariantCulture) : encoded.Report.ToReal(raw).ToString("G9", CultureInfo.InvariantCulture));
        }

        Console.Out.Write(output);
        Console.Error.WriteLine(
            $"spmv {matrix.Rows} x {matrix.Cols}, {encoded.Report.NonzeroCount:N0} nonzeros ({(encoded.Report.IsExact ? "exact" : "quantized")}) on {session.Profile.Name} with {session.Profile.PeCount} PEs: " +
            $"{result.Entries:N0} entries consumed for {result.Broadcasts:N0} nonzero inputs, {result.Cycles:N0} cycles by the cost model, {result.LinkBytes:N0} link bytes");
        return 0;
    }

    private static int DeviceImageSize(int bytes) => (bytes + 4095) / 4096 * 4096;
}
