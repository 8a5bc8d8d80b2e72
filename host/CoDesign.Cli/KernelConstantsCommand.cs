using System.CommandLine;
using CoDesign.KernelCompiler;
using CoDesign.KernelCompiler.Constants;
using CoDesign.Model.Files;

namespace CoDesign.Cli;

/// <summary>
/// <c>codesign kernel constants FILE.cs... --class Name... [-o out.vh]</c>: writes the C# constants
/// (const fields, enum members) of the named types as a Verilog include file of localparams, so the
/// RTL reads numbers such as the link protocol's frame types from their C# definitions.
/// </summary>
internal static class KernelConstantsCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "C# files declaring the types; the other .cs files of their folders are read too.", Arity = ArgumentArity.OneOrMore };
        var classes = new Option<string[]>("--class", "-c")
        {
            Description = "A type whose constants to write (Name or Namespace.Name); repeat for several, in the order wanted.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string?>("--output", "-o") { Description = "Include file to write (default: standard output)." };
        var command = new Command("constants", "Write C# constants as a Verilog include file of localparams.") { files, classes, output };
        command.SetAction(parse => CommandFailure.Guard(() => Run(parse.GetValue(files)!, parse.GetValue(classes)!, parse.GetValue(output))));
        return command;
    }

    private static int Run(string[] files, string[] classes, string? output)
    {
        string text;
        try
        {
            text = VerilogConstants.GenerateInclude(files, classes, output);
        }
        catch (KernelCompileException e)
        {
            // The compiler's diagnostics, one per line, as the other kernel commands print them.
            foreach (KernelSubset.KernelDiagnostic diagnostic in e.Diagnostics)
            {
                Console.Error.WriteLine(diagnostic);
            }

            return CommandFailure.BadInput;
        }

        if (output is null)
        {
            Console.Out.Write(text);
        }
        else
        {
            OutputFile.WriteAtomically(output, "--output", System.Text.Encoding.UTF8.GetBytes(text));
        }

        return 0;
    }
}
