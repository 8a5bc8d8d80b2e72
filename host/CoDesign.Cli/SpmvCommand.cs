using System.CommandLine;
using System.Globalization;
using System.Numerics;
using CoDesign.Compression.Spmv;
using CoDesign.Model.MatrixMarket;
using CoDesign.Model.Spmv;
using CoDesign.Runtime;
using CoDesign.Runtime.Deploy;
using CoDesign.Runtime.Devices;
using CoDesign.Runtime.Spmv;

namespace CoDesign.Cli;

/// <summary>
/// <c>codesign spmv</c>: y = A x for a Matrix Market matrix and an integer vector, through the same
/// compile, deploy and infer path as a network. An integer matrix is multiplied exactly: it is split
/// into codebook groups and into tiles that fit the device, the vector into 8-bit planes, and the
/// partial products are added on the host. y goes to standard output, one value per line; the report
/// goes to standard error.
/// </summary>
internal static class SpmvCommand
{
    public static Command Create()
    {
        var matrix = new Option<string>("--matrix") { Description = "Matrix Market file (coordinate or array; real, integer or pattern).", Required = true };
        var vector = new Option<string>("--vector") { Description = "Vector file: one integer per column (whitespace separated, or a Matrix Market array).", Required = true };
        var pes = new Option<int?>("--pes") { Description = $"Processing elements of the emulated device (default {DeviceProfile.EmulatorDefault.PeCount})." }.InRange(1, CommandOptions.MaxPes);
        var device = new Option<string>("--device", "-d") { Description = $"Device to run on: {DeviceCatalog.Known}.", DefaultValueFactory = _ => "emulator" };
        var wrap = new Option<bool>("--wrap") { Description = "Accept rows that could overflow the 32-bit accumulator; y is then printed modulo 2^32 as signed 32-bit values." };
        var approximate = new Option<bool>("--approximate") { Description = "Accept non-integer values: cluster them into 15 shared 16-bit values and report the worst error per output element." };
        var command = new Command("spmv", "Multiply a Matrix Market matrix by a vector on the accelerator and print y.") { matrix, vector, pes, device, wrap, approximate };
        command.SetAction(parse => CommandFailure.Guard(() => Run(
            parse.GetValue(matrix)!,
            parse.GetValue(vector)!,
            parse.GetValue(pes),
            parse.GetValue(device)!,
            new SpmvOptions(DeviceProfile.EmulatorDefault.PeCount, parse.GetValue(approximate), parse.GetValue(wrap)))));
        return command;
    }

    private static int Run(string matrixPath, string vectorPath, int? peCount, string deviceName, SpmvOptions options)
    {
        SparseMatrixData matrix = MatrixMarketReader.Read(matrixPath);
        VectorData x = VectorFileReader.Read(vectorPath);
        VectorPlane[] planes = VectorPlanes.Split(x, matrix.Cols);
        options = options with { Name = Path.GetFileNameWithoutExtension(matrixPath) };

        // Coding checks the values before a device is opened (a Verilator build takes a while).
        CodedMatrix coded = SpmvPlanner.Code(matrix, planes, options);
        using ConnectedDevice connected = DeviceCatalog.Registry.Open(deviceName, peCount, waits: DeviceWaits.ToStandardError);
        DeviceSession session = connected.Session;
        SpmvPlan plan = SpmvPlanner.Tile(coded, planes, options with { PeCount = session.Profile.PeCount }, SpmvRunner.LimitsFor(session.Profile));
        SpmvRun run = SpmvRunner.Run(session, plan);

        var output = new System.Text.StringBuilder();
        string accuracy;
        if (plan.IsExact)
        {
            foreach (BigInteger value in plan.CombineExact(run.PassOutputs))
            {
                output.AppendLine(value.ToString(CultureInfo.InvariantCulture));
            }

            accuracy = plan.Wraps ? "exact modulo 2^32 (--wrap)" : "exact";
        }
        else
        {
            double[] y = plan.CombineApproximate(run.PassOutputs);
            foreach (double value in y)
            {
                output.AppendLine(value.ToString("G9", CultureInfo.InvariantCulture));
            }

            ApproximationError error = ApproximationError.Measure(matrix, x.Values, y);
            string where = error.WorstRelativeRow >= 0 ? $" (row {error.WorstRelativeRow + 1})" : "";
            string atZero = error.WorstAbsoluteAtZero > 0 ? string.Create(CultureInfo.InvariantCulture, $", and {error.WorstAbsoluteAtZero:G6} where the exact value is 0") : "";
            accuracy = string.Create(
                CultureInfo.InvariantCulture,
                $"approximate (15 shared values, unit 2^{coded.Groups[0].Exponent}): worst error {error.WorstRelative:P3} of the element's exact value{where}{atZero}");
        }

        Console.Out.Write(output);
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"spmv {matrix.Rows} x {matrix.Cols}, {matrix.Entries.Count(e => e.Value != 0):N0} nonzeros, {accuracy}: {plan.GroupCount} codebook group(s), " +
            $"{plan.TileCount} tile(s), {plan.Passes.Count} pass(es) x {plan.Planes.Count} vector plane(s) = {run.Runs:N0} run(s) on {session.Profile.Name} with {session.Profile.PeCount} PEs; " +
            $"{run.Entries:N0} entries consumed for {run.Broadcasts:N0} nonzero inputs, {run.Cycles:N0} device cycles, {run.LinkBytes:N0} link bytes"));
        return 0;
    }
}
