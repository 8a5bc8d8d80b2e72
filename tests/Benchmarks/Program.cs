using BenchmarkDotNet.Running;
using CoDesign.Benchmarks;

// dotnet run -c Release --project tests/Benchmarks -- --quick        one-shot side-by-side table (seconds)
// dotnet run -c Release --project tests/Benchmarks -- --filter '*'   full BenchmarkDotNet runs (minutes)
if (args.Contains("--quick"))
{
    return QuickRun.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(SpmvBenchmarks).Assembly).Run(args);
return 0;
