using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Reconciliation;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>Expiry, time-limited access, suspension, rotation and foreign access, with real seconds-long deadlines.</summary>
public sealed class LifecycleTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync() =>
        _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("life"), o => o.ExpiringWindow = TimeSpan.FromSeconds(10));

    public async Task DisposeAsync() => await _operator.DisposeAsync();

    [LocalPlaneFact]
    public async Task Twenty_second_demo_goes_ready_then_expiring_then_expired_revoking_access_before_deleting_the_namespace()
    {
        var group = UniqueName.For("prospect");
        var tenant = _operator.Own(Tenants.New(UniqueName.For("ttl"), s =>
        {
            s.Ttl = "20s";
            s.Access = [new AccessEntry { Kind = "Group", Name = group, Role = "edit" }];
        }));
        await Tenants.CreateAsync(Admin, tenant);
        var ns = tenant.Spec.Namespace!;

        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready, TimeSpan.FromSeconds(15));
        (await Access.CanAsync(Admin, "p", [group], "create", "deployments", ns, "apps")).Should().BeTrue();
        var expiring = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Expiring, TimeSpan.FromSeconds(15));
        Tenants.Condition(expiring, ConditionTypes.Expiring)!.Status.Should().Be("True");
        var expired = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Expired, TimeSpan.FromSeconds(20));

        expired.Status!.ExpiredAt.Should().BeOnOrAfter(expired.Status.ExpiresAt!.Value);
        expired.Status.ExpiredAt.Should().BeCloseTo(expired.Status.ExpiresAt.Value, TimeSpan.FromSeconds(3), "the operator wakes up at the deadline");
        // Expired is recorded first (the decision), then access is revoked: within moments, never later.
        await Eventually.HoldsAsync("access revoked", async () => !await Access.CanAsync(Admin, "p", [group], "create", "deployments", ns, "apps"), TimeSpan.FromSeconds(3));
        await Eventually.HoldsAsync("namespace gone", async () =>
            (await Admin.CoreV1.ListNamespaceAsync(fieldSelector: $"metadata.name={ns}")).Items.Count == 0, TimeSpan.FromSeconds(60));
        (await Tenants.GetAsync(Admin, tenant.Metadata.Name))!.Status!.Phase.Should().Be(Phases.Expired, "the DemoTenant stays as the record");

        var deletes = AuditLog.Writes(fixture.Plane.AuditLogPath!, _operator.User, DateTimeOffset.UtcNow.AddMinutes(-5))
            .Where(e => e.Verb == "delete" && (e.Namespace == ns || e.Name == ns)).ToList();
        var lastBinding = deletes.Where(e => e.Resource == "rolebindings").Max(e => e.Received);
        var namespaceDelete = deletes.Single(e => e.Resource == "namespaces").Received;
        lastBinding.Should().BeBefore(namespaceDelete, "access is revoked before the namespace is deleted");

        var events = await Tenants.EventsOnceAsync(Admin, tenant.Metadata.Name, e => e.Reason == "Expired", "an Expired event");
        events.Should().Contain(e => e.Reason == "ExpiringSoon" && e.Type == "Warning");

        // Not silently revived by a later expiry.
        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { ttl = "24h" });
        var still = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Expired);
        Tenants.Condition(still, ConditionTypes.Ready)!.Message.Should().Contain("does not revive");
        (await Admin.CoreV1.ListNamespaceAsync(fieldSelector: $"metadata.name={ns}")).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Access_entry_expiring_in_seconds_stops_at_that_moment_while_another_keeps_working()
    {
        var shortGroup = UniqueName.For("short");
        var longGroup = UniqueName.For("long");
        var until = DateTimeOffset.UtcNow.AddSeconds(8);
        var tenant = _operator.Own(Tenants.New(UniqueName.For("acc"), s => s.Access =
        [
            new AccessEntry { Kind = "Group", Name = shortGroup, Role = "edit", ExpiresAt = until },
            new AccessEntry { Kind = "Group", Name = longGroup, Role = "edit" },
        ]));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var ns = tenant.Spec.Namespace!;
        (await Access.CanAsync(Admin, "a", [shortGroup], "get", "pods", ns)).Should().BeTrue();

        await Eventually.HoldsAsync("short-lived access ended", async () => !await Access.CanAsync(Admin, "a", [shortGroup], "get", "pods", ns), TimeSpan.FromSeconds(20));
        DateTimeOffset.UtcNow.Should().BeCloseTo(until, TimeSpan.FromSeconds(3), "access ends at its deadline, not at a later poll");
        (await Access.CanAsync(Admin, "b", [longGroup], "get", "pods", ns)).Should().BeTrue();
        (await Tenants.GetAsync(Admin, tenant.Metadata.Name))!.Status!.Phase.Should().Be(Phases.Ready);
        await Eventually.GetAsync("AccessExpired event", async () =>
            (await Tenants.EventsAsync(Admin, tenant.Metadata.Name)).FirstOrDefault(e => e.Reason == "AccessExpired" && e.Note.Contains(shortGroup)));
    }

    [Fact]
    public async Task Suspend_and_resume_round_trip_replica_counts_and_access()
    {
        var group = UniqueName.For("prospect");
        var tenant = _operator.Own(Tenants.New(UniqueName.For("susp"), s => s.Access = [new AccessEntry { Kind = "Group", Name = group, Role = "edit" }]));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var ns = tenant.Spec.Namespace!;
        await Admin.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web", 3), ns);
        await Admin.AppsV1.CreateNamespacedStatefulSetAsync(Workloads.StatefulSet("db", 2), ns);

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { suspended = true });
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Suspended);
        (await Admin.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas.Should().Be(0);
        (await Admin.AppsV1.ReadNamespacedStatefulSetAsync("db", ns)).Spec.Replicas.Should().Be(0);
        (await Access.CanAsync(Admin, "p", [group], "get", "pods", ns)).Should().BeFalse();
        (await Admin.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items.Select(b => b.Metadata.Name)
            .Should().Equal([IsolationOperator.Desired.RbacBuilder.OperatorBindingName], "only the operator's own grant, to scale the workloads");

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { suspended = false });
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        (await Admin.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas.Should().Be(3);
        (await Admin.AppsV1.ReadNamespacedStatefulSetAsync("db", ns)).Spec.Replicas.Should().Be(2);
        (await Tenants.GetAsync(Admin, tenant.Metadata.Name))!.Status!.Suspension.Should().BeNull("resume clears the recorded counts");
        (await Access.CanAsync(Admin, "p", [group], "get", "pods", ns)).Should().BeTrue();
    }

    [Fact]
    public async Task Rotation_changes_values_on_schedule_and_only_then()
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("rot"), s => s.Secrets =
        [
            new SecretSpec { Name = "rotating", RotateEvery = "8s", Keys = [new SecretKeySpec { Name = "token" }] },
            new SecretSpec { Name = "stable", Keys = [new SecretKeySpec { Name = "token" }] },
        ]));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var ns = tenant.Spec.Namespace!;
        async Task<string> Value(string name) => Convert.ToBase64String((await Admin.CoreV1.ReadNamespacedSecretAsync(name, ns)).Data["token"]);
        var rotating1 = await Value("rotating");
        var stable1 = await Value("stable");
        var created = DateTimeOffset.UtcNow;

        // Another spec change before the rotation is due rewrites nothing.
        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { prospect = "Renamed" });
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        if (DateTimeOffset.UtcNow - created < TimeSpan.FromSeconds(6)) (await Value("rotating")).Should().Be(rotating1);

        await Eventually.HoldsAsync("rotated", async () => await Value("rotating") != rotating1, TimeSpan.FromSeconds(20));
        (await Value("stable")).Should().Be(stable1);
        // The secret is written before the status that records it: wait for status to catch up.
        await Eventually.HoldsAsync("status records the rotation", async () =>
            (await Tenants.GetAsync(Admin, tenant.Metadata.Name))?.Status?.Secrets?.Single(s => s.Name == "rotating").LastRotated > created);
        var events = await Tenants.EventsOnceAsync(Admin, tenant.Metadata.Name, e => e.Reason == "SecretRotated" && e.Note.Contains("rotating"), "a SecretRotated event");
        events.Should().NotContain(e => e.Reason == "DriftCorrected");
        var current = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(await Value("rotating")));
        events.Should().NotContain(e => e.Note.Contains(current), "values never appear in events");
    }

    [Fact]
    public async Task A_foreign_role_binding_is_reported_and_left_alone()
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("fgn")));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var ns = tenant.Spec.Namespace!;
        await Admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "backdoor" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "tenant-edit" },
            Subjects = [new Rbacv1Subject { Kind = "User", Name = "eve", ApiGroup = "rbac.authorization.k8s.io" }],
        }, ns);

        var degraded = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Degraded);
        var cond = Tenants.Condition(degraded, ConditionTypes.AccessScoped)!;
        cond.Status.Should().Be("False");
        cond.Reason.Should().Be("UnlistedSubjects");
        cond.Message.Should().Contain("backdoor").And.Contain("User eve");
        (await Admin.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("backdoor", ns)).Should().NotBeNull("the operator does not delete what it does not own");
        await Eventually.GetAsync("warning event", async () =>
            (await Tenants.EventsAsync(Admin, tenant.Metadata.Name)).FirstOrDefault(e => e.Reason == "UnlistedSubjects"));

        await Admin.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync("backdoor", ns);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
    }

    [Fact]
    public async Task Extending_before_expiry_is_recorded_with_who_and_when()
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("ext"), s => s.Ttl = "1h"));
        await Tenants.CreateAsync(Admin, tenant);
        var ready = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var later = ready.Status!.ExpiresAt!.Value.AddDays(2);

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { expiresAt = later.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ") });
        var extended = await Eventually.GetAsync("extension recorded", async () =>
        {
            var t = await Tenants.GetAsync(Admin, tenant.Metadata.Name);
            return t?.Status?.ExtendedAt is not null ? t : null;
        });
        extended.Status!.ExpiresAt.Should().BeCloseTo(later, TimeSpan.FromSeconds(1));
        extended.Status.ExtendedBy.Should().NotBeNullOrEmpty();
        await Eventually.GetAsync("Extended event", async () =>
            (await Tenants.EventsAsync(Admin, tenant.Metadata.Name)).FirstOrDefault(e => e.Reason == "Extended"));
    }
}

internal static class Workloads
{
    private static V1PodTemplateSpec Template(string app) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = app, Image = "registry.invalid/demo:1" }] },
    };

    private static V1LabelSelector Selector(string app) => new() { MatchLabels = new Dictionary<string, string> { ["app"] = app } };

    public static V1Deployment Deployment(string name, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec { Replicas = replicas, Selector = Selector(name), Template = Template(name) },
    };

    public static V1StatefulSet StatefulSet(string name, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1StatefulSetSpec { Replicas = replicas, ServiceName = name, Selector = Selector(name), Template = Template(name) },
    };
}
