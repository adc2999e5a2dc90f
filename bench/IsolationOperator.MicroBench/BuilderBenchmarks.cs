using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;

namespace IsolationOperator.MicroBench;

/// <summary>
/// The pure work of one reconcile of a typical tenant (shaped like samples/acme.yaml): planning, building the
/// desired objects, and comparing them with what the cache holds. Every no-op reconcile of a resync pays these.
/// </summary>
[MemoryDiagnoser]
public class BuilderBenchmarks
{
    private DemoTenant _tenant = null!;
    private TenantPlan _plan = null!;
    private IReadOnlyList<IKubernetesObject<V1ObjectMeta>> _desired = null!;
    private IReadOnlyList<object> _live = null!;
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        _now = DateTimeOffset.UtcNow;
        _tenant = Typical("acme");
        _plan = TenantPlanner.Plan(_tenant, _now).Plan! with { TenantUid = Guid.NewGuid().ToString() };
        _desired = Build();
        _live = _desired.Select(AsStored).ToList();
    }

    [Benchmark]
    public PlanResult Plan() => TenantPlanner.Plan(_tenant, _now);

    /// <summary>All objects of the tenant (secrets carried over from the "existing" ones, as in a no-op reconcile).</summary>
    [Benchmark]
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Build() =>
        DesiredState.Build(_plan, _tenant.Spec.Owner, _tenant.Spec.Prospect, _ => null, _ => false, _now);

    /// <summary>Every desired object against its stored twin: what ResourceApplier does before deciding "unchanged".</summary>
    [Benchmark]
    public int CompareAll()
    {
        var diffs = 0;
        for (var i = 0; i < _desired.Count; i++) diffs += ObjectDiff.Compare(_desired[i], _live[i]).Count;
        return diffs;
    }

    /// <summary>The object as the API server returns it: same content plus server-set metadata and, for quotas, status.</summary>
    private static object AsStored(IKubernetesObject<V1ObjectMeta> desired)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(desired))!.AsObject();
        var meta = node["metadata"]!.AsObject();
        meta["uid"] = Guid.NewGuid().ToString();
        meta["resourceVersion"] = "123456";
        meta["creationTimestamp"] = "2026-01-01T00:00:00Z";
        meta["managedFields"] = new JsonArray(new JsonObject
        {
            ["manager"] = OperatorIdentity.FieldManager, ["operation"] = "Apply", ["apiVersion"] = desired.ApiVersion,
            ["time"] = "2026-01-01T00:00:00Z", ["fieldsType"] = "FieldsV1", ["fieldsV1"] = new JsonObject { ["f:metadata"] = new JsonObject() },
        });
        if (desired is V1ResourceQuota q) node["status"] = new JsonObject { ["hard"] = JsonNode.Parse(KubernetesJson.Serialize(q.Spec.Hard)) };
        return DeserializeAs.MakeGenericMethod(desired.GetType()).Invoke(null, [node.ToJsonString(), null])!;
    }

    // KubernetesJson.Deserialize<T>(string json, JsonSerializerOptions? options): the type is only known at run time here.
    private static readonly System.Reflection.MethodInfo DeserializeAs = typeof(KubernetesJson).GetMethods()
        .First(m => m.Name == nameof(KubernetesJson.Deserialize) && m.IsGenericMethodDefinition &&
                    m.GetParameters() is [{ ParameterType.Name: "String" }, _]);

    private static DemoTenant Typical(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Uid = Guid.NewGuid().ToString(), CreationTimestamp = DateTime.UtcNow },
        Spec = new DemoTenantSpec
        {
            Prospect = "ACME Corp",
            Owner = "alice@vendor.example",
            Namespace = $"demo-{name}",
            Profile = "small",
            Ttl = "168h",
            Access =
            [
                new() { Kind = "Group", Name = $"prospect-{name}", Role = "edit" },
                new() { Kind = "User", Name = "se-alice", Role = "admin" },
            ],
            Network = new() { AllowDNS = true, IngressFromNamespaces = ["ingress-nginx"], EgressCIDRs = ["203.0.113.0/24"] },
            Quota = new Dictionary<string, IntOrString> { ["requests.cpu"] = "2", ["pods"] = "20" },
            Secrets = [new() { Name = "demo-db", Keys = [new() { Name = "username", Length = 16 }, new() { Name = "password", Length = 32 }] }],
        },
    };
}
