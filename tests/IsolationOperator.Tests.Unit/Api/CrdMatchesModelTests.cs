using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace IsolationOperator.Tests.Unit.Api;

/// <summary>crds/isolation.demo.dev_demotenants.yaml is hand-written; these tests keep it and the C# model in step.</summary>
public class CrdMatchesModelTests
{
    private static readonly YamlMappingNode Crd = CrdSchema.Load();
    private static readonly YamlMappingNode Root = CrdSchema.Root(Crd);

    private static YamlMappingNode Schema(string path) => (YamlMappingNode)Root.At(path);

    [Fact]
    public void Spec_schema_matches_DemoTenantSpec_and_its_parts()
    {
        // Covers DemoTenantSpec, AccessEntry, NetworkSpec, SecretSpec and SecretKeySpec, recursively.
        CrdSchema.Compare(Schema("properties.spec"), typeof(DemoTenantSpec), "spec").Should().BeEmpty();
    }

    [Fact]
    public void Status_schema_matches_DemoTenantStatus_and_its_parts()
    {
        // Covers DemoTenantStatus, ManagedResource, SecretStatus, and V1Condition's JSON names for status.conditions.
        CrdSchema.Compare(Schema("properties.status"), typeof(DemoTenantStatus), "status").Should().BeEmpty();
    }

    [Fact]
    public void Top_level_schema_matches_DemoTenant()
    {
        CrdSchema.Compare(Root, typeof(DemoTenant), "").Should().BeEmpty();
        Root.TryGet("required").Strings().Should().Equal("spec");
    }

    [Fact]
    public void The_walk_reaches_every_model_type()
    {
        var reached = new HashSet<Type>();
        void Visit(Type t)
        {
            if (!reached.Add(t)) return;
            foreach (var p in CrdSchema.JsonProperties(t).Values)
            {
                var type = p.PropertyType.IsGenericType ? p.PropertyType.GetGenericArguments().Last() : p.PropertyType;
                if (type.Assembly == typeof(DemoTenant).Assembly) Visit(type);
            }
        }
        Visit(typeof(DemoTenant));

        reached.Should().BeEquivalentTo([
            typeof(DemoTenant), typeof(DemoTenantSpec), typeof(AccessEntry), typeof(NetworkSpec), typeof(SecretSpec),
            typeof(SecretKeySpec), typeof(IsolationSpec), typeof(NodeIsolationSpec), typeof(DemoTenantStatus), typeof(GuestStatus), typeof(ManagedResource),
            typeof(SecretStatus), typeof(Requester), typeof(SuspensionStatus), typeof(SuspendedWorkload), typeof(VerificationStatus), typeof(IsolationPath), typeof(AuditStatus), typeof(AuditSummary)]);
    }

    [Fact]
    public void Condition_properties_are_those_of_V1Condition()
    {
        var names = ((YamlMappingNode)Schema("properties.status.properties.conditions.items.properties")).Children.Keys
            .Cast<YamlScalarNode>().Select(k => k.Value);
        names.Should().BeEquivalentTo(CrdSchema.JsonProperties(typeof(V1Condition)).Keys);
    }

    [Fact]
    public void Names_match_the_DemoTenant_constants()
    {
        var spec = (YamlMappingNode)Crd.At("spec");
        var names = (YamlMappingNode)spec.At("names");

        ((YamlMappingNode)Crd.At("metadata")).Scalar("name").Should().Be($"{DemoTenant.Plural}.{DemoTenant.Group}");
        spec.Scalar("group").Should().Be(DemoTenant.Group);
        spec.Scalar("scope").Should().Be("Cluster");
        names.Scalar("kind").Should().Be(DemoTenant.KindName);
        names.Scalar("listKind").Should().Be(new DemoTenantList().Kind);
        names.Scalar("plural").Should().Be(DemoTenant.Plural);
        names.Scalar("singular").Should().Be(DemoTenant.KindName.ToLowerInvariant());
        names.TryGet("shortNames").Strings().Should().Equal("dt");
        new DemoTenant().ApiVersion.Should().Be($"{DemoTenant.Group}/{DemoTenant.Version}");
    }

    [Fact]
    public void The_single_version_is_served_stored_and_has_a_status_subresource()
    {
        var versions = (YamlSequenceNode)Crd.At("spec.versions");
        versions.Children.Should().ContainSingle();
        var version = CrdSchema.Version(Crd);
        version.Scalar("name").Should().Be(DemoTenant.Version);
        version.Scalar("served").Should().Be("true");
        version.Scalar("storage").Should().Be("true");
        ((YamlMappingNode)version.At("subresources")).TryGet("status").Should().BeOfType<YamlMappingNode>()
            .Which.Children.Should().BeEmpty();
    }

    [Fact]
    public void Printer_columns_show_prospect_namespace_phase_expiry_and_age()
    {
        var columns = ((YamlSequenceNode)CrdSchema.Version(Crd).At("additionalPrinterColumns")).Children.Cast<YamlMappingNode>()
            .Select(c => (Name: c.Scalar("name"), Type: c.Scalar("type"), Path: c.Scalar("jsonPath"))).ToList();

        columns.Should().Equal(
            ("Prospect", "string", ".spec.prospect"),
            ("Namespace", "string", ".status.namespace"),
            ("Phase", "string", ".status.phase"),
            ("Expires", "string", ".status.expiresAt"),
            ("Age", "date", ".metadata.creationTimestamp"));
    }

    [Fact]
    public void Printer_columns_point_at_model_fields()
    {
        var columns = ((YamlSequenceNode)CrdSchema.Version(Crd).At("additionalPrinterColumns")).Children.Cast<YamlMappingNode>();
        foreach (var path in columns.Select(c => c.Scalar("jsonPath")!).Where(p => !p.StartsWith(".metadata.", StringComparison.Ordinal)))
        {
            var type = typeof(DemoTenant);
            foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                CrdSchema.JsonProperties(type).Should().ContainKey(part, $"printer column {path} must name a model field");
                type = CrdSchema.JsonProperties(type)[part].PropertyType;
            }
        }
    }

    [Fact]
    public void Schema_enums_and_defaults_match_the_code()
    {
        var spec = "properties.spec.properties.";
        Schema(spec + "profile").TryGet("enum").Strings().Should().BeEquivalentTo(Profiles.All.Keys);
        Schema(spec + "profile").Scalar("default").Should().Be(Profiles.Default);
        Schema(spec + "access.items.properties.role").TryGet("enum").Strings().Should().BeEquivalentTo(RbacBuilder.Roles.Keys);
        Schema(spec + "access.items.properties.kind").TryGet("enum").Strings().Should().BeEquivalentTo("User", "Group", "Guest");
        Schema(spec + "network.properties.allowDNS").Scalar("default").Should().Be("true", "the planner allows DNS when unset");
        Schema(spec + "network.properties.allowIngress").Scalar("default").Should().Be("false", "the webhook refuses Ingresses when unset");
        Schema(spec + "network.properties.allowExternalName").Scalar("default").Should().Be("false", "the webhook refuses ExternalName when unset");
        Schema(spec + "secrets.items.properties.keys.items.properties.length").Scalar("default")
            .Should().Be(TenantPlanner.DefaultSecretLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Schema(spec + "namespace").Scalar("maxLength").Should().Be("63");
        Schema(spec + "namespace").Scalar("pattern").Should().StartWith($"^{Regex.Escape(PlannerPolicy.Default.NamespacePrefix)}",
            "the API server and the planner must agree on the default namespace prefix");
        Schema(spec + "workloadRole").TryGet("enum").Strings().Should().BeEquivalentTo(RbacBuilder.WorkloadRoles);
        Schema(spec + "workloadRole").Scalar("default").Should().Be(RbacBuilder.DefaultWorkloadRole);
    }

    [Theory]
    [InlineData("168h")]
    [InlineData("90m")]
    [InlineData("20s")]
    [InlineData("1h30m")]
    [InlineData("1.5h")]
    [InlineData("0s")]
    [InlineData("7d")]
    [InlineData("100ms")]
    [InlineData("10")]
    [InlineData("-1h")]
    [InlineData("1h ")]
    public void Duration_patterns_accept_what_GoDuration_parses(string text)
    {
        foreach (var path in new[] { "properties.spec.properties.ttl", "properties.spec.properties.secrets.items.properties.rotateEvery" })
        {
            var pattern = Schema(path).Scalar("pattern")!;
            Regex.IsMatch(text, pattern, RegexOptions.ECMAScript).Should().Be(GoDuration.TryParse(text, out _), $"{path} and GoDuration must agree on \"{text}\"");
        }
    }

    [Fact]
    public void A_fully_populated_tenant_serialises_to_what_the_schema_accepts()
    {
        var tenant = new DemoTenant
        {
            Metadata = new V1ObjectMeta { Name = "acme" },
            Spec = new DemoTenantSpec
            {
                Prospect = "ACME Corp",
                Owner = "alice@vendor.example",
                Namespace = "demo-acme",
                Profile = "medium",
                Ttl = "168h",
                ExpiresAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
                Suspended = false,
                WorkloadRole = "edit",
                Access = [new AccessEntry { Kind = "User", Name = "se-alice", Role = "admin", ExpiresAt = new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero) }],
                Network = new NetworkSpec { AllowDNS = true, IngressFromNamespaces = ["ingress-nginx"], EgressCIDRs = ["203.0.113.0/24"], AllowIngress = true, AllowExternalName = false },
                Isolation = new IsolationSpec
                {
                    Nodes = new NodeIsolationSpec
                    {
                        Selector = new Dictionary<string, string> { ["example.com/pool"] = "acme" },
                        Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "acme", Effect = "NoExecute", TolerationSeconds = 60 }],
                    },
                    RuntimeClassName = "gvisor",
                },
                Quota = new Dictionary<string, IntOrString> { ["requests.cpu"] = "2", ["pods"] = 20 },
                Secrets = [new SecretSpec { Name = "demo-db", RotateEvery = "24h", Keys = [new SecretKeySpec { Name = "password", Length = 32 }] }],
            },
            Status = new DemoTenantStatus
            {
                Phase = Phases.Ready,
                Namespace = "demo-acme",
                ObservedGeneration = 2,
                ExpiresAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
                Conditions = [new V1Condition { Type = "Ready", Status = "True", Reason = "Provisioned", Message = "ok", LastTransitionTime = DateTime.UtcNow, ObservedGeneration = 2 }],
                ManagedResources = [new ManagedResource { ApiVersion = "v1", Kind = "Namespace", Name = "demo-acme" }],
                Secrets = [new SecretStatus { Name = "demo-db", Keys = ["password"], LastRotated = DateTimeOffset.UtcNow }],
            },
        };

        var json = JsonNode.Parse(KubernetesJson.Serialize(tenant))!.AsObject();
        json.Remove("metadata");

        CrdSchema.Validate(json, Root).Should().BeEmpty();
    }

    [Fact]
    public void A_minimal_tenant_serialises_without_nulls_or_unset_fields()
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(new DemoTenant { Spec = new DemoTenantSpec { Prospect = "P", Owner = "o" } }))!.AsObject();

        json["spec"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo("prospect", "owner");
        json.ContainsKey("status").Should().BeFalse();
    }
}
