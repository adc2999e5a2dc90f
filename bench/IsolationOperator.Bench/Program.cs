using System.Diagnostics;
using System.Globalization;
using IsolationOperator.Bench;
using IsolationOperator.LocalCluster;
using k8s;

// The operator's performance from the outside (issue 10). Usually run by hack/bench.sh; see README "Performance".
BenchOptions options;
try { options = BenchOptions.Parse(args); }
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"{e.Message}\nusage: --operator-dll <dll> [--tenants N] [--workers W] [--smoke] [--out DIR] " +
        "[--latency-samples S] [--idle-seconds S] [--resync-seconds S] [--no-plot] [--operator-env KEY=VALUE]... " +
        "[--verification [--verification-period S]] " +
        "[--kubeconfig ADMIN --operator-kubeconfig K --operator-user U [--audit-log PATH]]");
    return 2;
}

ControlPlane? plane = null;
try
{
    BenchTarget target;
    if (options.Kubeconfig is { } admin)
    {
        target = new BenchTarget(admin, options.OperatorKubeconfig ?? admin, options.OperatorUser ?? "", options.AuditLog,
            "a running cluster (shared)", SharedCluster: true);
    }
    else
    {
        BenchRun.Log("starting the control plane");
        plane = await ControlPlane.StartAsync(new ControlPlaneOptions());
        const string user = "bench-operator";
        // Its own user (cluster-admin via system:masters): the audit log then tells the operator's requests apart.
        target = plane.IsExistingCluster
            ? new BenchTarget(plane.KubeconfigPath, plane.KubeconfigPath, "", null, $"existing cluster {plane.ServerUrl}", SharedCluster: true)
            : new BenchTarget(plane.KubeconfigPath, plane.WriteKubeconfigFor(user, "system:masters"), user, plane.AuditLogPath,
                "local control plane (etcd, kube-apiserver, kube-controller-manager)", SharedCluster: false);
    }

    using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(target.AdminKubeconfig));
    await InstallCrdAsync(target.AdminKubeconfig, options.RepoRoot);
    var machine = new MachineInfo(Environment.ProcessorCount, MemoryGiB(), DotnetSdk(), (await client.Version.GetCodeAsync()).GitVersion,
        target.Description, "Shared machine: other engineers' builds and tests ran at the same time, so absolute numbers are noisy; compare ratios.");
    if (options.Verification)
    {
        var verification = await new VerificationBench(options, target, client).RunAsync(machine);
        Directory.CreateDirectory(options.OutputDirectory);
        var verifyStem = Path.Combine(options.OutputDirectory, $"{verification.StartedAt:yyyyMMdd-HHmmss}-verify-{options.Tenants}");
        VerificationBench.Write(verification, verifyStem);
        Console.WriteLine($"results: {verifyStem}.json");
        return 0;
    }
    var result = await new BenchRun(options, target, client).RunAsync(machine);

    Directory.CreateDirectory(options.OutputDirectory);
    var stem = Path.Combine(options.OutputDirectory, $"{result.StartedAt:yyyyMMdd-HHmmss}-{options.Tenants}{(options.Smoke ? "-smoke" : "")}");
    Report.WriteJson(result, stem + ".json");
    string? picture = null;
    if (options.Plot)
    {
        Chart.Save(result, stem + ".png");
        picture = Path.GetFileName(stem + ".png");
    }
    await File.WriteAllTextAsync(stem + ".md", Report.Markdown(result, picture));
    Console.WriteLine(Report.Markdown(result, picture));
    Console.WriteLine($"results: {stem}.json");
    return 0;
}
catch (Exception e)
{
    await Console.Error.WriteLineAsync($"bench failed: {e}");
    return 1;
}
finally
{
    if (plane is not null) await plane.DisposeAsync();
}

static async Task InstallCrdAsync(string kubeconfig, string repo)
{
    foreach (var args in new[]
             {
                 new[] { "apply", "-f", Path.Combine(repo, "crds") },
                 ["wait", "--for", "condition=established", "--timeout=60s", "crd/demotenants.isolation.demo.dev"],
                 // The tenant ClusterRoles demo bindings reference, as the chart ships them (verification asks what they grant).
                 ["apply", "-f", Path.Combine(repo, "charts/isolation-operator/files/tenant-clusterroles.yaml")],
             })
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add($"--kubeconfig={kubeconfig}");
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"kubectl {string.Join(' ', args)}: {await stderr}");
    }
}

static double MemoryGiB()
{
    var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
    return Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0, 1);
}

static string DotnetSdk()
{
    try
    {
        using var p = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true })!;
        var v = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return v;
    }
    catch (System.ComponentModel.Win32Exception) { return Environment.Version.ToString(); }
}
