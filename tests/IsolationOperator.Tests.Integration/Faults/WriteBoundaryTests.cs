using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Faults;

/// <summary>
/// The operator cut off (as by kill -9) right after each of its writes, then restarted: the end state is the one an
/// uninterrupted run reaches, and a generated Secret, once written, keeps its uid and values.
/// </summary>
public sealed class WriteBoundaryTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private IKubernetes Admin => fixture.Plane.AdminClient();

    private static DemoTenant NewTenant(string runId, string group) => Own(runId, Tenants.New(UniqueName.For("wb"), s =>
    {
        s.Access = [new AccessEntry { Kind = "Group", Name = group, Role = "edit" }];
        s.Secrets = [new SecretSpec { Name = "db", Keys = [new SecretKeySpec { Name = "password" }] }];
    }));

    private static DemoTenant Own(string runId, DemoTenant t)
    {
        t.Metadata.Labels = new Dictionary<string, string> { [OperatorUnderTest.RunLabel] = runId };
        return t;
    }

    /// <summary>What an uninterrupted provisioning leaves in the namespace, by kind and name.</summary>
    private async Task<List<string>> ObjectsAsync(string ns) =>
    [
        .. (await Admin.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns)).Items.Select(o => $"NetworkPolicy/{o.Metadata.Name}"),
        .. (await Admin.CoreV1.ListNamespacedResourceQuotaAsync(ns)).Items.Select(o => $"ResourceQuota/{o.Metadata.Name}"),
        .. (await Admin.CoreV1.ListNamespacedLimitRangeAsync(ns)).Items.Select(o => $"LimitRange/{o.Metadata.Name}"),
        .. (await Admin.CoreV1.ListNamespacedServiceAccountAsync(ns)).Items.Where(o => o.Metadata.Name != "default").Select(o => $"ServiceAccount/{o.Metadata.Name}"),
        .. (await Admin.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: TenantLabels.ManagedSelector)).Items.Select(o => $"Secret/{o.Metadata.Name}"),
        .. (await Admin.RbacAuthorizationV1.ListNamespacedRoleAsync(ns)).Items.Select(o => $"Role/{o.Metadata.Name}"),
        .. (await Admin.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items.Select(o => $"RoleBinding/{o.Metadata.Name}"),
    ];

    [LocalPlaneFact]
    public async Task Killed_after_any_write_of_provisioning_a_restart_reaches_the_same_end_and_never_regenerates_a_secret()
    {
        // The audit key exists before the reference is counted: only the first operator of a namespace creates it.
        await AuditTrails.EnsureKeyAsync(fixture.Plane);
        // The reference: one uninterrupted run, counting its writes.
        var refRun = UniqueName.For("wbref");
        var writes = 0;
        var counting = new CutOffAfter((r, _) => { if (Writes.IsWrite(r)) Interlocked.Increment(ref writes); return false; });
        List<string> expected;
        List<string> expectedRecords;
        await using (var op = await OperatorUnderTest.StartAsync(fixture.Plane, refRun, handlers: counting))
        {
            var reference = NewTenant(refRun, "g");
            await Tenants.CreateAsync(Admin, reference);
            var ready = await Tenants.WaitForPhaseAsync(Admin, reference.Metadata.Name, Phases.Ready);
            expectedRecords = Actions(await AuditTrails.WaitForAsync(Admin, ready.Metadata.Uid, "Provisioned", "AccessGranted", "SecretGenerated"));
            await Task.Delay(TimeSpan.FromSeconds(1)); // the pass triggered by its own status write
            expected = (await ObjectsAsync(reference.Spec.Namespace!)).Order().ToList();
            var settled = Volatile.Read(ref writes);
            await Task.Delay(TimeSpan.FromSeconds(3));
            Volatile.Read(ref writes).Should().Be(settled, "once Ready, a tenant costs no further write");
        }
        writes.Should().BeGreaterThan(10);

        var failures = new List<string>();
        foreach (var batch in Enumerable.Range(1, writes).Chunk(6))
            await Task.WhenAll(batch.Select(async n =>
            {
                try { await KillAfterAndRestartAsync(n, expected, expectedRecords); }
                catch (Exception e) { lock (failures) failures.Add($"after write {n}: {e.Message}"); }
            }));
        failures.Should().BeEmpty();
    }

    /// <summary>The audit records of a provisioning, by action and object kind (names differ per tenant), sorted.</summary>
    private static List<string> Actions(Audit.StoredTrail trail) =>
        trail.Records.Select(r => $"{r.Action} {string.Join("|", r.Objects.Select(o => o.Split(' ')[0]))}").Order(StringComparer.Ordinal).ToList();

    private async Task KillAfterAndRestartAsync(int n, IReadOnlyList<string> expected, IReadOnlyList<string> expectedRecords)
    {
        var runId = UniqueName.For("wb");
        var tenant = NewTenant(runId, "g");
        var ns = tenant.Spec.Namespace!;
        var cut = Writes.Nth(n);
        string user;
        await using (var first = await OperatorUnderTest.StartAsync(fixture.Plane, runId, handlers: cut))
        {
            user = first.User;
            await Tenants.CreateAsync(Admin, tenant);
            await cut.Cut.WaitAsync(TimeSpan.FromSeconds(30));
        }
        V1Secret? written = null;
        try { written = await Admin.CoreV1.ReadNamespacedSecretAsync("db", ns); } catch (k8s.Autorest.HttpOperationException) { }

        // The same operator restarted: same identity (a new one would rewrite its own binding in the namespace).
        await using var second = await OperatorUnderTest.StartAsync(fixture.Plane, runId, user: user);
        var ready = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready, TimeSpan.FromSeconds(30));
        (await ObjectsAsync(ns)).Order().Should().Equal(expected.Select(e => e), $"the end state after a cut at write {n} equals an uninterrupted run");
        // Issue 14: every action of the interrupted provisioning is recorded once, however the cut fell between an
        // action and its record, and the chain verifies.
        var trail = await AuditTrails.WaitForAsync(Admin, ready.Metadata.Uid, "Provisioned", "AccessGranted", "SecretGenerated");
        Actions(trail).Should().Equal(expectedRecords, $"the audit trail after a cut at write {n} holds what an uninterrupted run records, once");
        (await AuditTrails.VerifyAsync(Admin, ready.Metadata.Uid)).Should().Match<Audit.ChainVerdict>(v => v.Ok, $"the chain verifies after a cut at write {n}");
        if (written is not null)
        {
            var now = await Admin.CoreV1.ReadNamespacedSecretAsync("db", ns);
            now.Metadata.Uid.Should().Be(written.Metadata.Uid, $"the Secret written before the cut at write {n} is kept");
            now.Data["password"].Should().Equal(written.Data["password"]);
        }
        await Tenants.DeleteAsync(Admin, tenant.Metadata.Name);
    }

    public static TheoryData<string> RotationCuts => ["after the rotation is recorded", "after the rotated values are written"];

    [LocalPlaneTheory]
    [MemberData(nameof(RotationCuts))]
    public async Task Killed_mid_rotation_the_rotation_happens_exactly_once(string cutPoint)
    {
        var runId = UniqueName.For("rot");
        var tenant = Own(runId, Tenants.New(UniqueName.For("rot"), s =>
            s.Secrets = [new SecretSpec { Name = "db", RotateEvery = "12s", Keys = [new SecretKeySpec { Name = "password" }] }]));
        var ns = tenant.Spec.Namespace!;
        var name = tenant.Metadata.Name;
        var cut = new CutOffAfter((r, body) => cutPoint.Contains("recorded")
            ? r.Method == HttpMethod.Patch && r.RequestUri!.AbsolutePath.EndsWith($"/demotenants/{name}/status", StringComparison.Ordinal) && body?.Contains("previousGenerationId") == true
            : r.Method == HttpMethod.Put && r.RequestUri!.AbsolutePath == $"/api/v1/namespaces/{ns}/secrets/db");
        byte[] original;
        await using (var first = await OperatorUnderTest.StartAsync(fixture.Plane, runId, handlers: cut))
        {
            await Tenants.CreateAsync(Admin, tenant);
            await Tenants.WaitForPhaseAsync(Admin, name, Phases.Ready);
            original = (await Admin.CoreV1.ReadNamespacedSecretAsync("db", ns)).Data["password"];
            await cut.Cut.WaitAsync(TimeSpan.FromSeconds(30));
        }
        var atCut = await Admin.CoreV1.ReadNamespacedSecretAsync("db", ns);

        await using var second = await OperatorUnderTest.StartAsync(fixture.Plane, runId);
        var restarted = DateTimeOffset.UtcNow;
        var rotated = await Eventually.GetAsync("the rotated Secret carries the recorded mark", async () =>
        {
            var t = await Tenants.GetAsync(Admin, name);
            var s = await Admin.CoreV1.ReadNamespacedSecretAsync("db", ns);
            var mark = s.Metadata.Annotations is { } a && a.TryGetValue("isolation.demo.dev/generation-id", out var m) ? m : null;
            return t?.Status?.Secrets?.SingleOrDefault() is { PreviousGenerationId: null } r && r.GenerationId == mark ? s : null;
        });
        rotated.Data["password"].Should().NotEqual(original, "the rotation took place");
        if (cutPoint.Contains("written"))
        {
            rotated.Metadata.ResourceVersion.Should().Be(atCut.Metadata.ResourceVersion, "values already written are not rotated a second time");
            AuditLog.Writes(fixture.Plane.AuditLogPath!, second.User, restarted).Where(r => r.Resource == "secrets").Should().BeEmpty();
        }
        else
        {
            AuditLog.Writes(fixture.Plane.AuditLogPath!, second.User, restarted).Count(r => r.Resource == "secrets").Should().Be(1, "the recorded rotation is written once");
        }
        await Tenants.DeleteAsync(Admin, name);
    }

    [LocalPlaneFact]
    public async Task Killed_after_recording_a_suspension_a_restart_stops_the_workloads_and_resume_restores_them()
    {
        var runId = UniqueName.For("sus");
        var tenant = Own(runId, Tenants.New(UniqueName.For("sus")));
        var ns = tenant.Spec.Namespace!;
        var name = tenant.Metadata.Name;
        var cut = new CutOffAfter((r, body) => r.Method == HttpMethod.Patch &&
            r.RequestUri!.AbsolutePath.EndsWith($"/demotenants/{name}/status", StringComparison.Ordinal) && body?.Contains("\"suspension\"") == true);
        await using (var first = await OperatorUnderTest.StartAsync(fixture.Plane, runId, handlers: cut))
        {
            await Tenants.CreateAsync(Admin, tenant);
            await Tenants.WaitForPhaseAsync(Admin, name, Phases.Ready);
            await Admin.AppsV1.CreateNamespacedDeploymentAsync(Operator.Workloads.Deployment("web", 3), ns);
            await Tenants.PatchSpecAsync(Admin, name, new { suspended = true });
            await cut.Cut.WaitAsync(TimeSpan.FromSeconds(30));
        }
        (await Admin.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas.Should().Be(3, "cut off before scaling anything");

        await using var second = await OperatorUnderTest.StartAsync(fixture.Plane, runId);
        await Eventually.HoldsAsync("stopped after the restart", async () =>
            (await Tenants.GetAsync(Admin, name))?.Status?.Suspension?.Stopped == true && (await Admin.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas == 0);
        await Tenants.PatchSpecAsync(Admin, name, new { suspended = false });
        await Eventually.HoldsAsync("resumed", async () =>
            (await Tenants.GetAsync(Admin, name))?.Status?.Suspension is null && (await Admin.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas == 3);
        await Tenants.DeleteAsync(Admin, name);
    }

    [LocalPlaneFact]
    public async Task Killed_after_the_first_write_of_a_resume_a_restart_restores_every_workload_and_clears_the_record()
    {
        var runId = UniqueName.For("res");
        var tenant = Own(runId, Tenants.New(UniqueName.For("res")));
        var ns = tenant.Spec.Namespace!;
        var name = tenant.Metadata.Name;
        // The resume's first write is the scale-up of the first workload; the record is cleared only at the end.
        var cut = new CutOffAfter((r, body) => r.Method == HttpMethod.Patch &&
            r.RequestUri!.AbsolutePath.StartsWith($"/apis/apps/v1/namespaces/{ns}/", StringComparison.Ordinal) && body?.Contains("\"replicas\":0") == false);
        await using (var first = await OperatorUnderTest.StartAsync(fixture.Plane, runId, handlers: cut))
        {
            await Tenants.CreateAsync(Admin, tenant);
            await Tenants.WaitForPhaseAsync(Admin, name, Phases.Ready);
            await Admin.AppsV1.CreateNamespacedDeploymentAsync(Operator.Workloads.Deployment("web", 3), ns);
            await Admin.AppsV1.CreateNamespacedStatefulSetAsync(Operator.Workloads.StatefulSet("db", 2), ns);
            await Tenants.PatchSpecAsync(Admin, name, new { suspended = true });
            await Eventually.HoldsAsync("suspended", async () => (await Tenants.GetAsync(Admin, name))?.Status?.Suspension?.Stopped == true);
            await Tenants.PatchSpecAsync(Admin, name, new { suspended = false });
            await cut.Cut.WaitAsync(TimeSpan.FromSeconds(30));
        }
        (await Tenants.GetAsync(Admin, name))!.Status!.Suspension.Should().NotBeNull("cut off before the record was cleared");

        await using var second = await OperatorUnderTest.StartAsync(fixture.Plane, runId);
        await Eventually.HoldsAsync("resumed", async () =>
            (await Tenants.GetAsync(Admin, name))?.Status?.Suspension is null
            && (await Admin.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas == 3
            && (await Admin.AppsV1.ReadNamespacedStatefulSetAsync("db", ns)).Spec.Replicas == 2);
        var events = await Tenants.EventsOnceAsync(Admin, name, e => e.Reason == "Resumed", "a Resumed event");
        events.Count(e => e.Reason == "Resumed").Should().Be(1, "the resume is reported once, by the pass that completed it");
        await Tenants.DeleteAsync(Admin, name);
    }

    [LocalPlaneFact]
    public async Task Killed_right_after_deleting_the_namespace_of_a_deleted_tenant_a_restart_finalises_only_once_it_is_gone()
    {
        var runId = UniqueName.For("fin");
        var tenant = Own(runId, Tenants.New(UniqueName.For("fin"), s => s.Access = [new AccessEntry { Kind = "Group", Name = "g", Role = "edit" }]));
        var ns = tenant.Spec.Namespace!;
        var name = tenant.Metadata.Name;
        var cut = new CutOffAfter((r, _) => r.Method == HttpMethod.Delete && r.RequestUri!.AbsolutePath == $"/api/v1/namespaces/{ns}");
        await using (var first = await OperatorUnderTest.StartAsync(fixture.Plane, runId, handlers: cut))
        {
            await Tenants.CreateAsync(Admin, tenant);
            await Tenants.WaitForPhaseAsync(Admin, name, Phases.Ready);
            await Tenants.DeleteAsync(Admin, name);
            await cut.Cut.WaitAsync(TimeSpan.FromSeconds(30));
        }
        (await Tenants.GetAsync(Admin, name)).Should().NotBeNull("the finalizer holds the DemoTenant");
        (await Admin.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items.Should().BeEmpty("access went before the namespace delete");

        await using var second = await OperatorUnderTest.StartAsync(fixture.Plane, runId);
        await Eventually.HoldsAsync("DemoTenant gone", async () => await Tenants.GetAsync(Admin, name) is null, TimeSpan.FromSeconds(60));
        (await Admin.CoreV1.ListNamespaceAsync(fieldSelector: $"metadata.name={ns}")).Items.Should().BeEmpty("the finalizer goes only once the namespace is gone");
    }
}
