namespace CoDesign.Cli.Tests;

/// <summary>
/// Random command lines from a vocabulary of real and hostile tokens. Every one must end in a result or
/// one clean <c>error:</c> line with a documented exit code: never a stack trace. CI runs a few dozen;
/// CODESIGN_FUZZ_CASES asks for one twentieth of its count (each case is a process) and
/// CODESIGN_FUZZ_SEED changes the seed (tests/fuzz/run-long.sh).
/// </summary>
public class CommandLineFuzzTests
{
    private static readonly string[] Commands = ["infer", "spmv", "inspect", "compile", "frob", ""];

    private static readonly string[] Options =
    [
        "--count", "-n", "--pes", "--device", "-d", "--model", "-m", "--matrix", "--vector", "--board", "--hex", "--data", "--verify",
        "--resident", "--wrap", "--approximate", "--help", "--", "-", "--count=2", "--pes=3",
    ];

    [Fact]
    public void NoCommandLineEndsInAStackTrace()
    {
        int cases = int.TryParse(Environment.GetEnvironmentVariable("CODESIGN_FUZZ_CASES"), out int asked) && asked > 0 ? Math.Max(asked / 20, 24) : 24;
        string[] values = Values();
        int seed = 20261203 ^ (int.TryParse(Environment.GetEnvironmentVariable("CODESIGN_FUZZ_SEED"), out int given) ? given : 0);
        var random = new Random(seed);
        for (int k = 0; k < cases; k++)
        {
            var args = new List<string>();
            string command = Commands[random.Next(Commands.Length)];
            if (command.Length > 0)
            {
                args.Add(command);
            }

            for (int t = random.Next(0, 7); t > 0; t--)
            {
                args.Add(random.Next(3) == 0 ? values[random.Next(values.Length)] : Options[random.Next(Options.Length)]);
                if (random.Next(2) == 0)
                {
                    args.Add(values[random.Next(values.Length)]);
                }
            }

            if (command == "infer" && !args.Any(a => a.StartsWith("--count", StringComparison.Ordinal) || a == "-n"))
            {
                args.AddRange(["--count", "3"]); // keep a valid run short
            }

            (int exit, _, string error) = CodesignProcess.Run([.. args]);
            string shown = string.Join(" ", args.Select(a => a.Length > 40 ? a[..40] + "..." : a)) + $" (case {k}, seed {seed})";
            Assert.True(exit is 0 or 2 or 3 or 4, $"codesign {shown}: exit {exit}\n{error}");
            Assert.DoesNotContain("Unhandled exception", error);
            Assert.DoesNotContain("   at ", error);
            if (exit != 0)
            {
                string last = error.TrimEnd().Split('\n')[^1];
                Assert.True(last.StartsWith("error: ", StringComparison.Ordinal) && last.Length <= 400, $"codesign {shown}: exit {exit} with\n{error}");
            }
        }
    }

    private static string[] Values()
    {
        string matrix = CodesignProcess.TempFile("f.mtx", "%%MatrixMarket matrix coordinate integer general\n3 3 3\n1 1 -3\n2 2 3\n3 3 40000\n");
        string vector = CodesignProcess.TempFile("f.txt", "1 2 3\n");
        string folder = Path.GetDirectoryName(matrix)!;
        return
        [
            "0", "1", "2", "-1", "10001", "abc", "1e309", "99999999999999999999", "NaN", "", " ", "/", "/dev/zero", "/dev/null", "/nonexistent/x",
            folder, matrix, vector, CodesignProcess.ShippedModel, Path.Combine(folder, "out.hex"), "emulator", "verilator:nope", "serial:/nonexistent", "serial:",
            "icebreaker", "hx8k-breakout", new string('x', 10_000), "é\u202e", "--count",
        ];
    }
}
