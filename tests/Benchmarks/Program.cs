using BenchmarkDotNet.Running;
using CoDesign.Benchmarks;

// dotnet run -c Release --project tests/Benchmarks -- --quick        one-shot side-by-side table (seconds)
// dotnet run -c Release --project tests/Benchmarks -- --filter '*'   full BenchmarkDotNet runs (minutes)
// dotnet run -c Release --project tests/Benchmarks -- --kernels [--board NAME]... [--only TEXT] kernel compiler vs hand RTL
// dotnet run -c Release --project tests/Benchmarks -- --kernel-fuzz [N] [--rtl-every K]     differential fuzzing
// dotnet run -c Release --project tests/Benchmarks -- --noisy-link [--images N] [--budget S]  link goodput against the bit error rate
// dotnet run -c Release --project tests/Benchmarks -- --board-fit [--images N] [--no-synthesis]  iCEBreaker: its engine's cycles against faster engines' bounds, and their cells
// dotnet run -c Release --project tests/Benchmarks -- --compression   the link's zero-run codec vs ZVC on Fashion-MNIST inputs and the device image
// dotnet run -c Release --project tests/Benchmarks -- --cpu-device    cpu device vs PyTorch int8 and scipy CSR (python3 anchors)
// dotnet run -c Release --project tests/Benchmarks -- --pack          dataset pack vs PNG files vs IDX, 70,000 random reads
// dotnet run -c Release --project tests/Benchmarks -- --planner [REQUESTS] memory planner: ILP vs greedy vs LRU, solve time at 500 blocks
// dotnet run -c Release --project tests/Benchmarks -- --gpu-device [--accelerator cuda] ...   gpu device vs PyTorch and cuSPARSE (tests/gpu/measure.sh)
if (args.Contains("--quick"))
{
    return QuickRun.Run();
}

if (args.Contains("--compression"))
{
    return CoDesign.Benchmarks.Link.CompressionSchemeBenchmark.Run();
}

if (args.Contains("--cpu-device"))
{
    return CoDesign.Benchmarks.Devices.CpuDeviceBenchmark.Run();
}

if (args.Length > 0 && args[0] == "--gpu-device")
{
    return CoDesign.Benchmarks.Devices.GpuDeviceBenchmark.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "--pack")
{
    return CoDesign.Benchmarks.Datasets.PackBenchmark.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "--kernels")
{
    return CoDesign.Benchmarks.Kernels.KernelQualityReport.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "--kernel-fuzz")
{
    return CoDesign.Benchmarks.Kernels.KernelFuzz.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "--planner")
{
    return CoDesign.Benchmarks.Planner.PlannerBenchmark.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "--board-fit")
{
    return CoDesign.Benchmarks.Devices.BoardFitBenchmark.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "--noisy-link")
{
    return CoDesign.Benchmarks.Link.NoisyLinkBenchmark.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(SpmvBenchmarks).Assembly).Run(args);
return 0;
