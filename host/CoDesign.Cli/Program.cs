using System.CommandLine;
using CoDesign.Cli;

ConsoleSetup.Configure();
var root = new RootCommand(
    "CoDesign: compress a neural network into EIE-style sparse form, compile it for an accelerator, deploy it over the framed link and run it.")
{
    TrainCommand.Create(),
    ImportCommand.Create(),
    CompressCommand.Create(),
    InspectCommand.Create(),
    CompileCommand.Create(),
    PackCommand.Create(),
    InferCommand.Create(),
    PlanCommand.Create(),
    SpmvCommand.Create(),
    FlashCommand.Create(),
    ServeCommand.Create(),
    KernelCommand.Create(),
};

ParseResult parse = root.Parse(args);
return parse.Errors.Count > 0 ? UsageError.Report(parse) : parse.Invoke();
