using System.Text.Json;
using IsolationOperator.Admission;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Engine;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Admission;

/// <summary>
/// The API server calls the operator's webhooks (https://127.0.0.1:port): a bad DemoTenant is refused at apply time
/// with the reconciler's own message and nothing is stored; who asked is recorded and cannot be forged.
/// </summary>
public sealed class TenantAdmissionTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private readonly WebhookSetup _webhook = WebhookSetup.Unique();
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync() => _operator = await _webhook.StartAsync(fixture.Plane, UniqueName.For("admit"));

    public async Task DisposeAsync()
    {
        await _operator.DisposeAsync();
        await _webhook.CleanupAsync(Admin);
    }

    private string Yaml(string name, string spec) =>
        $"apiVersion: isolation.demo.dev/v1alpha1\nkind: DemoTenant\nmetadata:\n  name: {name}\n  labels: {{{OperatorUnderTest.RunLabel}: {_operator.RunId}}}\n" +
        $"spec:\n  prospect: P\n  owner: o@vendor.example\n  namespace: demo-{name}\n{spec}";

    private async Task<int> StoredAsync()
    {
        var list = await Admin.CustomObjects.ListClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural,
            labelSelector: $"{OperatorUnderTest.RunLabel}={_operator.RunId}");
        return ((JsonElement)list).GetProperty("items").GetArrayLength();
    }

    private async Task<CommandResult> ApplyAsync(string yaml) =>
        await Kubectl.RunAsync(fixture.Plane.KubeconfigPath, (KubectlInput)yaml, "apply", "-f", "-");

    private async Task ShouldBeRefusedAtApplyAsync(string name, string spec, params string[] message)
    {
        var before = await StoredAsync();
        var denied = AdmissionMetrics.Requests.WithLabels("/validate-demotenant", "denied").Value;
        var result = await ApplyAsync(Yaml(name, spec));
        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("admission webhook \"validate-demotenant.isolation.demo.dev\" denied the request");
        foreach (var m in message) result.Stderr.Should().Contain(m);
        (await StoredAsync()).Should().Be(before, "a refused DemoTenant is not stored");
        (await Tenants.GetAsync(Admin, name)).Should().BeNull();
        AdmissionMetrics.Requests.WithLabels("/validate-demotenant", "denied").Value.Should().BeGreaterThan(denied);
    }

    [Fact]
    public async Task Bad_cidr_is_refused_at_apply_and_nothing_is_stored() =>
        await ShouldBeRefusedAtApplyAsync(UniqueName.For("cidr"), "  network: {egressCIDRs: [\"10.0.0.0/33\"]}\n",
            "The DemoTenant spec cannot be used", "spec.network.egressCIDRs: \"10.0.0.0/33\" is not a CIDR");

    [Fact]
    public async Task Unknown_quota_key_is_refused_at_apply_and_nothing_is_stored() =>
        await ShouldBeRefusedAtApplyAsync(UniqueName.For("quota"), "  quota: {gpus: \"2\"}\n", "spec.quota.gpus is not a quota this operator manages");

    [Fact]
    public async Task Locked_quota_key_is_refused_at_apply_and_nothing_is_stored() =>
        await ShouldBeRefusedAtApplyAsync(UniqueName.For("lb"), "  quota: {services.loadbalancers: \"1\"}\n", "spec.quota.services.loadbalancers cannot be set");

    [Fact]
    public async Task Everyone_group_is_refused_at_apply_and_nothing_is_stored() =>
        await ShouldBeRefusedAtApplyAsync(UniqueName.For("everyone"), "  access: [{kind: Group, name: \"system:authenticated\", role: view}]\n",
            "group system:authenticated contains every user of the cluster");

    [Fact]
    public async Task Existing_foreign_namespace_is_refused_at_apply_and_left_untouched()
    {
        var name = UniqueName.For("grab");
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = $"demo-{name}" } });
        try
        {
            await ShouldBeRefusedAtApplyAsync(name, "", $"Namespace \"demo-{name}\" already exists and does not belong to this DemoTenant");
        }
        finally { await Admin.CoreV1.DeleteNamespaceAsync($"demo-{name}"); }
    }

    [Fact]
    public async Task Namespace_claimed_by_another_tenant_is_refused_at_apply()
    {
        var first = UniqueName.For("first");
        (await ApplyAsync(Yaml(first, ""))).ExitCode.Should().Be(0);
        try
        {
            await Eventually.HoldsAsync("the operator's cache holds the first tenant",
                async () => (await Tenants.GetAsync(Admin, first))?.Status?.Namespace is not null, TimeSpan.FromSeconds(60));
            var second = UniqueName.For("second");
            var yaml = Yaml(second, "").Replace($"namespace: demo-{second}", $"namespace: demo-{first}", StringComparison.Ordinal);
            var before = await StoredAsync();
            var result = await ApplyAsync(yaml);
            result.ExitCode.Should().NotBe(0);
            result.Stderr.Should().Contain($"Namespace \"demo-{first}\"");
            (await StoredAsync()).Should().Be(before);
        }
        finally { await Tenants.DeleteAsync(Admin, first); }
    }

    [Fact]
    public async Task Changing_spec_namespace_after_provisioning_is_refused_and_the_stored_spec_stays()
    {
        var name = UniqueName.For("move");
        (await ApplyAsync(Yaml(name, ""))).ExitCode.Should().Be(0);
        try
        {
            await Tenants.WaitForPhaseAsync(Admin, name, Phases.Ready);
            var result = await ApplyAsync(Yaml(name, "").Replace($"namespace: demo-{name}", $"namespace: demo-{name}-2", StringComparison.Ordinal));
            result.ExitCode.Should().NotBe(0);
            result.Stderr.Should().Contain("spec.namespace cannot change once provisioned");
            (await Tenants.GetAsync(Admin, name))!.Spec.Namespace.Should().Be($"demo-{name}");
        }
        finally { await Tenants.DeleteAsync(Admin, name); }
    }

    [Fact]
    public async Task Requested_by_and_last_changed_by_name_the_people_who_asked_in_annotations_status_and_events()
    {
        var alice = fixture.Plane.ClientFor("alice@vendor.example", "system:masters", "se-team");
        var bob = fixture.Plane.ClientFor("bob@vendor.example", "system:masters", "se-team");
        var name = UniqueName.For("who");
        await Tenants.CreateAsync(alice, _operator.Own(Tenants.New(name, s => s.Ttl = "48h")));
        try
        {
            var created = await Tenants.WaitForPhaseAsync(Admin, name, Phases.Ready);
            RequesterAnnotations.Of(created.Metadata, RequesterAnnotations.RequestedBy)!.User.Should().Be("alice@vendor.example");
            RequesterAnnotations.Of(created.Metadata, RequesterAnnotations.RequestedBy)!.Groups.Should().Contain("se-team").And.Contain("system:authenticated");
            created.Status!.RequestedBy!.User.Should().Be("alice@vendor.example");
            created.Status.LastChangedBy!.User.Should().Be("alice@vendor.example");

            await Tenants.PatchSpecAsync(bob, name, new { ttl = "72h" });
            DemoTenant? last = null;
            var extended = await Eventually.GetAsync("lastChangedBy is bob", async () =>
                (last = await Tenants.GetAsync(Admin, name)) is { Status.LastChangedBy.User: "bob@vendor.example", Status.ExtendedBy: not null } t ? t : null)
                .ContinueWith(t => t.IsFaulted ? throw new TimeoutException(KubernetesJson.Serialize(last), t.Exception) : t.Result, TaskScheduler.Default);
            extended.Status!.RequestedBy!.User.Should().Be("alice@vendor.example");
            extended.Status.ExtendedBy.Should().Be("bob@vendor.example");
            await Eventually.HoldsAsync("an Extended event naming bob", async () =>
                (await Tenants.EventsAsync(Admin, name)).Any(e => e.Reason == "Extended" && e.Note.EndsWith("by bob@vendor.example.", StringComparison.Ordinal)));
        }
        finally { await Tenants.DeleteAsync(Admin, name); }
    }

    [Fact]
    public async Task Forged_requester_annotations_are_overwritten_on_create_and_on_update()
    {
        var mallory = fixture.Plane.ClientFor("mallory@vendor.example", "system:masters");
        var name = UniqueName.For("forge");
        var forged = RequesterAnnotations.Format("ceo@vendor.example", ["board"]);
        var tenant = _operator.Own(Tenants.New(name));
        tenant.Metadata.Annotations = new Dictionary<string, string> { [RequesterAnnotations.RequestedBy] = forged, [RequesterAnnotations.LastChangedBy] = forged };
        await Tenants.CreateAsync(mallory, tenant);
        try
        {
            var stored = (await Tenants.GetAsync(Admin, name))!;
            RequesterAnnotations.Of(stored.Metadata, RequesterAnnotations.RequestedBy)!.User.Should().Be("mallory@vendor.example");
            RequesterAnnotations.Of(stored.Metadata, RequesterAnnotations.LastChangedBy)!.User.Should().Be("mallory@vendor.example");

            // A metadata-only change that tries to rewrite history: accepted as a request, the annotations stay as they were.
            var patch = JsonSerializer.Serialize(new { metadata = new { annotations = new Dictionary<string, string?> { [RequesterAnnotations.RequestedBy] = forged, [RequesterAnnotations.LastChangedBy] = null } } });
            await mallory.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, name);
            var after = (await Tenants.GetAsync(Admin, name))!;
            after.Metadata.Annotations[RequesterAnnotations.RequestedBy].Should().Be(stored.Metadata.Annotations[RequesterAnnotations.RequestedBy]);
            after.Metadata.Annotations[RequesterAnnotations.LastChangedBy].Should().Be(stored.Metadata.Annotations[RequesterAnnotations.LastChangedBy]);
        }
        finally { await Tenants.DeleteAsync(Admin, name); }
    }

    [Fact]
    public async Task Tenants_of_other_operators_are_not_sent_to_this_webhook()
    {
        var name = UniqueName.For("other");
        var other = Tenants.New(name, s => s.Quota = new Dictionary<string, IntOrString> { ["gpus"] = "2" });
        other.Metadata.Labels = new Dictionary<string, string> { [OperatorUnderTest.RunLabel] = UniqueName.For("nobody") };
        await Tenants.CreateAsync(Admin, other); // the reconciler of that (absent) operator would judge it, not this webhook
        try { (await Tenants.GetAsync(Admin, name))!.Metadata.Annotations.Should().BeNull(); }
        finally { await Tenants.DeleteAsync(Admin, name); }
    }
}
