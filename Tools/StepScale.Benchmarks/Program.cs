using System.Globalization;
using BenchmarkDotNet.Running;
using StepScale.Benchmarks;

// `stack <policies> <bands> <maxCapacity>` prints the benchmarks' large stack as a stack file (for timing `stepscale check`).
if (args is ["stack", var policies, var bands, var maxCapacity])
{
    Console.Write(LargeStacks.Yaml(int.Parse(policies, CultureInfo.InvariantCulture), int.Parse(bands, CultureInfo.InvariantCulture), int.Parse(maxCapacity, CultureInfo.InvariantCulture)));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(SimulatorBenchmarks).Assembly).Run(args);
