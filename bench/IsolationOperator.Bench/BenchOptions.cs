namespace IsolationOperator.Bench;

/// <summary>Command line of the bench (hack/bench.sh passes these through).</summary>
public sealed record BenchOptions
{
    public int Tenants { get; init; } = 1000;
    public int Workers { get; init; } = 4;
    public bool Smoke { get; init; }
    public int LatencySamples { get; init; } = 50;
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>The restarted operator's Operator__ResyncPeriod: long enough for its start-up pass to finish first.</summary>
    public TimeSpan Resync { get; init; } = TimeSpan.FromSeconds(90);
    /// <summary>Concurrent DemoTenant creates: "as fast as the API takes them", not limited by the operator's W.</summary>
    public int CreateParallelism { get; init; } = 16;
    public string OutputDirectory { get; init; } = "bench/results";
    public string RepoRoot { get; init; } = ".";
    public required string OperatorDll { get; init; }
    /// <summary>Admin kubeconfig of a running cluster (the smoke test's shared plane); null: start or find one.</summary>
    public string? Kubeconfig { get; init; }
    /// <summary>With <see cref="Kubeconfig"/>: the operator's own kubeconfig, its user name and the audit log.</summary>
    public string? OperatorKubeconfig { get; init; }
    public string? OperatorUser { get; init; }
    public string? AuditLog { get; init; }
    public bool Plot { get; init; } = true;
    /// <summary>Extra environment for the operator process, e.g. DOTNET_gcServer=0 to see what the GC mode costs.</summary>
    public IReadOnlyDictionary<string, string> OperatorEnv { get; init; } = new Dictionary<string, string>();
    /// <summary>--verification: measure issue 13's verification budget instead (VerificationBench; 200 demos unless --tenants).</summary>
    public bool Verification { get; init; }
    /// <summary>The operator's Operator__VerificationPeriod in that run: one whole cycle is measured at this period.</summary>
    public TimeSpan VerificationPeriod { get; init; } = TimeSpan.FromSeconds(120);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions { OperatorDll = "" };
        var tenantsGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            tenantsGiven |= args[i] == "--tenants";
            o = args[i] switch
            {
                "--tenants" => o with { Tenants = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--verification" => o with { Verification = true },
                "--verification-period" => o with { VerificationPeriod = TimeSpan.FromSeconds(double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture)) },
                "--workers" => o with { Workers = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--latency-samples" => o with { LatencySamples = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--idle-seconds" => o with { Idle = TimeSpan.FromSeconds(double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture)) },
                "--resync-seconds" => o with { Resync = TimeSpan.FromSeconds(double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture)) },
                "--smoke" => o with { Smoke = true, Tenants = 5, LatencySamples = 5, Idle = TimeSpan.FromSeconds(10), Resync = TimeSpan.FromSeconds(12) },
                "--out" => o with { OutputDirectory = Next() },
                "--repo" => o with { RepoRoot = Next() },
                "--operator-dll" => o with { OperatorDll = Next() },
                "--kubeconfig" => o with { Kubeconfig = Next() },
                "--operator-kubeconfig" => o with { OperatorKubeconfig = Next() },
                "--operator-user" => o with { OperatorUser = Next() },
                "--audit-log" => o with { AuditLog = Next() },
                "--no-plot" => o with { Plot = false },
                "--operator-env" => Next().Split('=', 2) is [var k, var v]
                    ? o with { OperatorEnv = new Dictionary<string, string>(o.OperatorEnv) { [k] = v } }
                    : throw new ArgumentException("--operator-env takes KEY=VALUE"),
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }
        if (o.Verification && !tenantsGiven) o = o with { Tenants = 200 };
        if (string.IsNullOrEmpty(o.OperatorDll) || !File.Exists(o.OperatorDll))
            throw new ArgumentException($"--operator-dll must name the built IsolationOperator.dll (got \"{o.OperatorDll}\")");
        if (o.Tenants < 1 || o.Workers < 1) throw new ArgumentException("--tenants and --workers must be at least 1");
        return o;
    }
}
