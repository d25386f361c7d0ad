using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(StepScale.Benchmarks.SimulatorBenchmarks).Assembly).Run(args);
