using System.Globalization;
using BenchmarkDotNet.Running;
using StepScale.Benchmarks;

// `stack <policies> <bands> <maxCapacity> [clean]` prints the benchmarks' large stack as a stack file (for timing `stepscale check`).
if (args is ["stack", var policies, var bands, var maxCapacity, ..] && args.Length <= 5)
{
    var clean = args.Length == 5 && args[4] == "clean";
    Console.Write(LargeStacks.Yaml(int.Parse(policies, CultureInfo.InvariantCulture), int.Parse(bands, CultureInfo.InvariantCulture), int.Parse(maxCapacity, CultureInfo.InvariantCulture), clean));
    return;
}

// `tt-readings` prints step scaling against target tracking under each scale-in reading (the README's table).
if (args is ["tt-readings"])
{
    TargetTrackingReadings.Print(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(SimulatorBenchmarks).Assembly).Run(args);
