using System.Globalization;
using IsolationOperator.Api.V1Alpha1;
using k8s.Models;

namespace IsolationOperator.Bench;

/// <summary>
/// The DemoTenants of one run: shaped like samples/acme.yaml (two access entries, network allowances, quota
/// overrides, one secret: a typical demo), named per run and labelled so that only this run's operator handles them.
/// </summary>
public sealed class BenchTenants(string runId)
{
    public const string RunLabel = "isolation.demo.dev/bench-run";
    /// <summary>The floor's objects carry this managed-by value, so no operator (ours, or a test's) watches them.</summary>
    public const string FloorManagedBy = "isolation-bench-floor";

    public string RunId { get; } = runId;
    public string Selector => $"{RunLabel}={RunId}";

    public string Name(string group, int i) => string.Create(CultureInfo.InvariantCulture, $"b{RunId}-{group}-{i:D5}");

    public DemoTenant New(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [RunLabel] = RunId } },
        Spec = new DemoTenantSpec
        {
            Prospect = "Bench Prospect",
            Owner = "se@vendor.example",
            Namespace = $"demo-{name}",
            Profile = "small",
            Ttl = "168h",
            Access =
            [
                new() { Kind = "Group", Name = $"prospect-{name}", Role = "edit" },
                new() { Kind = "User", Name = "se-bench", Role = "admin" },
            ],
            Network = new() { AllowDNS = true, IngressFromNamespaces = ["ingress-nginx"], EgressCIDRs = ["203.0.113.0/24"] },
            Quota = new Dictionary<string, IntOrString> { ["requests.cpu"] = "2", ["pods"] = "20" },
            Secrets = [new() { Name = "demo-db", Keys = [new() { Name = "username", Length = 16 }, new() { Name = "password", Length = 32 }] }],
        },
    };
}
