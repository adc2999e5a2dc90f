using BenchmarkDotNet.Running;

// bash hack/bench.sh --micro  (or: dotnet run -c Release --project bench/IsolationOperator.MicroBench -- --filter '*')
BenchmarkSwitcher.FromAssembly(typeof(IsolationOperator.MicroBench.BuilderBenchmarks).Assembly).Run(args);
