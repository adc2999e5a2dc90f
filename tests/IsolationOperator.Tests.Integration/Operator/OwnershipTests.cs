using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>The operator acts only on what is provably its own: its tenant's namespace (by UID) and the Secrets it marked.</summary>
public sealed class OwnershipTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync() =>
        _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("own"), o => o.ExpiringWindow = TimeSpan.FromSeconds(5));

    public async Task DisposeAsync() => await _operator.DisposeAsync();

    private static SecretSpec Db(string name = "db") => new() { Name = name, Keys = [new SecretKeySpec { Name = "password" }] };

    [Fact]
    public async Task Two_DemoTenants_naming_one_namespace_end_with_exactly_one_ready_and_no_binding_of_the_loser()
    {
        var ns = $"demo-{UniqueName.For("shared")}";
        var groups = new[] { UniqueName.For("ga"), UniqueName.For("gb") };
        var tenants = groups.Select(g => _operator.Own(Tenants.New(UniqueName.For("twin"), s =>
        {
            s.Namespace = ns;
            s.Access = [new AccessEntry { Kind = "Group", Name = g, Role = "admin" }];
        }))).ToList();
        await Task.WhenAll(tenants.Select(t => Tenants.CreateAsync(Admin, t)));

        var settled = await Eventually.GetAsync("one Ready, one Failed", async () =>
        {
            var now = await Task.WhenAll(tenants.Select(t => Tenants.GetAsync(Admin, t.Metadata.Name)));
            var phases = now.Select(t => t?.Status?.Phase).ToList();
            return phases.Count(p => p == Phases.Ready) == 1 && phases.Count(p => p == Phases.Failed) == 1 ? now : null;
        });
        var loser = Array.FindIndex(settled, t => t!.Status!.Phase == Phases.Failed);
        Tenants.Condition(settled[loser]!, ConditionTypes.NamespaceReady)!.Reason.Should().Be("NamespaceNotOwned");

        var everyBinding = (await Admin.RbacAuthorizationV1.ListRoleBindingForAllNamespacesAsync()).Items;
        everyBinding.Should().NotContain(b => b.Subjects != null && b.Subjects.Any(s => s.Name == groups[loser]), "the loser grants nothing anywhere");
        everyBinding.Should().NotContain(b => TenantLabels.TenantOf(b.Metadata) == tenants[loser].Metadata.Name);
        (await Access.CanAsync(Admin, "l", [groups[loser]], "get", "pods", ns)).Should().BeFalse();
        (await Access.CanAsync(Admin, "w", [groups[1 - loser]], "get", "pods", ns)).Should().BeTrue();
    }

    [Fact]
    public async Task A_DemoTenant_recreated_under_the_same_name_does_not_adopt_the_old_namespace()
    {
        var runId = UniqueName.For("again");
        var name = UniqueName.For("again");
        var ns = $"demo-{name}";
        V1Secret secretBefore;
        await using (var first = await OperatorUnderTest.StartAsync(fixture.Plane, runId))
        {
            await Tenants.CreateAsync(Admin, first.Own(Tenants.New(name, s => s.Secrets = [Db()])));
            await Tenants.WaitForPhaseAsync(Admin, name, Phases.Ready);
            secretBefore = await Admin.CoreV1.ReadNamespacedSecretAsync("db", ns);
        }

        // While the operator is down, someone removes the finalizer by hand and deletes the DemoTenant: the
        // namespace, with the previous prospect's data, stays behind.
        await Admin.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch),
            DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, name);
        await Tenants.DeleteAsync(Admin, name);
        await Eventually.HoldsAsync("DemoTenant gone", async () => await Tenants.GetAsync(Admin, name) is null);

        var newcomer = UniqueName.For("newcomer");
        await using var second = await OperatorUnderTest.StartAsync(fixture.Plane, runId);
        await Tenants.CreateAsync(Admin, second.Own(Tenants.New(name, s =>
        {
            s.Secrets = [Db()];
            s.Access = [new AccessEntry { Kind = "Group", Name = newcomer, Role = "admin" }];
        })));
        var failed = await Tenants.WaitForPhaseAsync(Admin, name, Phases.Failed);
        Tenants.Condition(failed, ConditionTypes.NamespaceReady)!.Reason.Should().Be("NamespaceNotOwned");
        (await Access.CanAsync(Admin, "n", [newcomer], "get", "secrets", ns)).Should().BeFalse("the previous prospect's data is not handed over");
        var secretAfter = await Admin.CoreV1.ReadNamespacedSecretAsync("db", ns);
        secretAfter.Metadata.ResourceVersion.Should().Be(secretBefore.Metadata.ResourceVersion);
        secretAfter.Data["password"].Should().Equal(secretBefore.Data["password"]);

        await Tenants.DeleteAsync(Admin, name);
        await Eventually.HoldsAsync("DemoTenant gone", async () => await Tenants.GetAsync(Admin, name) is null);
        (await Admin.CoreV1.ReadNamespaceAsync(ns)).Metadata.DeletionTimestamp.Should().BeNull("deleting the newcomer never deletes a namespace it does not own");
        await Admin.CoreV1.DeleteNamespaceAsync(ns);
    }

    [Fact]
    public async Task A_labelled_copy_of_a_tenant_secret_in_another_namespace_survives_reconciles_expiry_and_deletion()
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("copy"), s => { s.Secrets = [Db()]; s.Ttl = "15s"; }));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var app = UniqueName.For("app");
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = app } });
        var original = await Admin.CoreV1.ReadNamespacedSecretAsync("db", tenant.Spec.Namespace);
        // kubectl get secret -o json | kubectl apply -n app: labels and annotations kept.
        await Admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "db", Labels = original.Metadata.Labels, Annotations = original.Metadata.Annotations },
            Data = original.Data,
        }, app);

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { quota = new Dictionary<string, string> { ["pods"] = "5" } });
        await Eventually.HoldsAsync("reconciled after the edit", async () =>
            await Tenants.GetAsync(Admin, tenant.Metadata.Name) is { } t && t.Status?.ObservedGeneration == t.Metadata.Generation);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Expired, TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync("tenant namespace gone", async () =>
            (await Admin.CoreV1.ListNamespaceAsync(fieldSelector: $"metadata.name={tenant.Spec.Namespace}")).Items.Count == 0, TimeSpan.FromSeconds(60));
        await Tenants.DeleteAsync(Admin, tenant.Metadata.Name);
        await Eventually.HoldsAsync("DemoTenant gone", async () => await Tenants.GetAsync(Admin, tenant.Metadata.Name) is null);

        var copy = await Admin.CoreV1.ReadNamespacedSecretAsync("db", app);
        copy.Data["password"].Should().Equal(original.Data["password"], "a copy outside the tenant namespace is not the operator's");
        await Admin.CoreV1.DeleteNamespaceAsync(app);
    }

    [Fact]
    public async Task A_secret_planted_by_a_prospect_under_a_name_the_spec_later_adds_keeps_its_values_and_is_reported()
    {
        var prospects = UniqueName.For("prospects");
        var tenant = _operator.Own(Tenants.New(UniqueName.For("plant"), s =>
        {
            s.Secrets = [Db()];
            s.Access = [new AccessEntry { Kind = "Group", Name = prospects, Role = "edit" }];
        }));
        await Tenants.CreateAsync(Admin, tenant);
        var ready = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var ns = tenant.Spec.Namespace!;
        var mark = ready.Status!.Secrets!.Single().GenerationId;
        mark.Should().NotBeNullOrEmpty();

        // The prospect (edit) plants "db2" with the operator's labels and a guessed mark, choosing the password.
        var prospect = fixture.Plane.ClientFor(UniqueName.For("mallory"), prospects);
        var planted = await prospect.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = "db2",
                Labels = TenantLabels.For(tenant.Metadata.Name),
                Annotations = new Dictionary<string, string> { ["isolation.demo.dev/generation-id"] = mark!, ["isolation.demo.dev/generated-at"] = "2026-01-01T00:00:00.000Z" },
            },
            StringData = new Dictionary<string, string> { ["password"] = "chosen-by-mallory" },
        }, ns);

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { secrets = new[] { Db(), Db("db2") } });
        var reported = await Eventually.GetAsync("SecretNotOwned", async () =>
            await Tenants.GetAsync(Admin, tenant.Metadata.Name) is { } t && Tenants.Condition(t, ConditionTypes.SecretsProvisioned) is { Reason: "SecretNotOwned" } ? t : null);
        Tenants.Condition(reported, ConditionTypes.SecretsProvisioned)!.Message.Should().Contain("db2");
        reported.Status!.Phase.Should().Be(Phases.Degraded);
        var after = await Admin.CoreV1.ReadNamespacedSecretAsync("db2", ns);
        after.Metadata.ResourceVersion.Should().Be(planted.Metadata.ResourceVersion, "the operator never writes a Secret it did not make");
        System.Text.Encoding.UTF8.GetString(after.Data["password"]).Should().Be("chosen-by-mallory");
    }

    [LocalPlaneFact]
    public async Task A_spurious_404_on_the_namespace_read_never_rewrites_a_secret()
    {
        var runId = UniqueName.For("ghost");
        var tenant = Tenants.New(UniqueName.For("ghost"), s => s.Secrets = [Db()]);
        var ns = tenant.Spec.Namespace!;
        await using (var first = await OperatorUnderTest.StartAsync(fixture.Plane, runId))
        {
            await Tenants.CreateAsync(Admin, first.Own(tenant));
            await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        }
        var before = await Admin.CoreV1.ReadNamespacedSecretAsync("db", ns);

        var hides = new HidesNamespace(ns);
        await using var second = await OperatorUnderTest.StartAsync(fixture.Plane, runId, handlers: hides);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { quota = new Dictionary<string, string> { ["pods"] = "7" } });
        await Eventually.HoldsAsync("the operator met the spurious 404", () => Task.FromResult(hides.SpuriousNotFounds > 0));
        await Task.Delay(TimeSpan.FromSeconds(5)); // retries with backoff meanwhile

        var after = await Admin.CoreV1.ReadNamespacedSecretAsync("db", ns);
        after.Metadata.Uid.Should().Be(before.Metadata.Uid);
        after.Metadata.ResourceVersion.Should().Be(before.Metadata.ResourceVersion);
        after.Data["password"].Should().Equal(before.Data["password"]);
        AuditLog.Writes(fixture.Plane.AuditLogPath!, second.User, since).Where(r => r.Resource == "secrets")
            .Select(r => r.ToString()).Should().BeEmpty("a 404 without the API server's NotFound status proves nothing");
    }
}
