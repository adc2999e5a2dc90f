using System.Text;
using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Audit;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Auditing;

/// <summary>
/// Issue 14 on the real control plane: a demo's whole life leaves records in order, with the people who asked (the
/// admission webhook's identities); the chain verifies, and breaks at the spot of any edit, removal or swap; records
/// outlive the DemoTenant; no generated value appears in any record or stdout line.
/// </summary>
public sealed class AuditTrailTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private readonly WebhookSetup _webhook = WebhookSetup.Unique();
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync() => _operator = await _webhook.StartAsync(fixture.Plane, UniqueName.For("audit"));

    public async Task DisposeAsync()
    {
        await _operator.DisposeAsync();
        await _webhook.CleanupAsync(Admin);
    }

    [LocalPlaneFact]
    public async Task A_new_demo_with_a_secret_is_recorded_in_one_write_of_its_trail()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var tenant = _operator.Own(Tenants.New(UniqueName.For("one-write"), s =>
        {
            s.Access = [new AccessEntry { Kind = "Group", Name = UniqueName.For("p"), Role = "edit" }];
            s.Secrets = [new SecretSpec { Name = "db", Keys = [new SecretKeySpec { Name = "password" }] }];
        }));
        var uid = (await Tenants.CreateAsync(Admin, tenant)).Metadata.Uid;
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var trail = await AuditTrails.WaitForAsync(Admin, uid, "Provisioned", "SecretGenerated", "AccessGranted");

        // The secret's mark goes to status before its values exist (an intent the trail does not record); the pass's
        // last status write records the whole provisioning, so the trail is written once.
        var trailWrites = AuditLog.Writes(fixture.Plane.AuditLogPath!, _operator.User, since)
            .Where(r => r.Resource == "configmaps" && r.Name == AuditStore.HeadName(uid)).ToList();
        trailWrites.Should().ContainSingle(string.Join("; ", trailWrites)).Which.Verb.Should().Be("create");
        trail.Records.Select(r => r.Action).Should().OnlyHaveUniqueItems();
        (await Tenants.GetAsync(Admin, tenant.Metadata.Name))!.Status!.Audit!.Head.Should().Be(trail.Head.Hash);
    }

    [Fact]
    public async Task A_whole_demo_life_is_recorded_in_order_with_who_asked_and_outlives_the_demo()
    {
        var alice = fixture.Plane.ClientFor("alice@vendor.example", "system:masters", "se-team");
        var prospect = UniqueName.For("prospect");
        var tenant = _operator.Own(Tenants.New(UniqueName.For("life"), s =>
        {
            s.ExpiresAt = DateTimeOffset.UtcNow.AddDays(3); // outside the 24 h warning window: Ready, not Expiring
            s.Access = [new AccessEntry { Kind = "Group", Name = prospect, Role = "edit" }];
            s.Secrets = [new SecretSpec { Name = "db", RotateEvery = "20s", Keys = [new SecretKeySpec { Name = "password" }] }];
        }));
        var name = tenant.Metadata.Name;
        var ns = tenant.Spec.Namespace!;
        var created = await Tenants.CreateAsync(alice, tenant);
        var uid = created.Metadata.Uid;
        await Tenants.WaitForPhaseAsync(Admin, name, Phases.Ready);
        var password = Encoding.UTF8.GetString((await Admin.CoreV1.ReadNamespacedSecretAsync("db", ns)).Data["password"]);

        // Grant, extend (bob), suspend, resume, a rotation, drift, expiry, deletion.
        await Tenants.PatchSpecAsync(alice, name, new { access = new object[] { new { kind = "Group", name = prospect, role = "edit" }, new { kind = "User", name = "carol@acme.example", role = "view" } } });
        await AuditTrails.WaitForAsync(Admin, uid, "AccessGranted");
        // Extended by an impersonated user: the admin's kubectl acting --as bob, as a support engineer would.
        var extend = await Kubectl.RunAsync(fixture.Plane.KubeconfigPath, "--as=bob@vendor.example", "--as-group=system:masters", "--as-group=se-team",
            "patch", "demotenant", name, "--type=merge", "-p", JsonSerializer.Serialize(new { spec = new { expiresAt = DateTimeOffset.UtcNow.AddDays(5) } }));
        extend.ExitCode.Should().Be(0, extend.ToString());
        await AuditTrails.WaitForAsync(Admin, uid, "Extended");
        await Tenants.PatchSpecAsync(alice, name, new { suspended = true });
        await Tenants.WaitForPhaseAsync(Admin, name, Phases.Suspended);
        await Tenants.PatchSpecAsync(alice, name, new { suspended = false });
        await Tenants.WaitForPhaseAsync(Admin, name, Phases.Ready);
        await AuditTrails.WaitForAsync(Admin, uid, "Resumed", "SecretRotated");
        var rotated = Encoding.UTF8.GetString((await Admin.CoreV1.ReadNamespacedSecretAsync("db", ns)).Data["password"]);
        await Admin.NetworkingV1.DeleteNamespacedNetworkPolicyAsync("default-deny", ns);
        await AuditTrails.WaitForAsync(Admin, uid, "DriftCorrected");
        await Tenants.PatchSpecAsync(alice, name, new { expiresAt = DateTimeOffset.UtcNow.AddSeconds(3) });
        await Tenants.WaitForPhaseAsync(Admin, name, Phases.Expired);
        await Tenants.DeleteAsync(alice, name);
        await Eventually.HoldsAsync("the DemoTenant is gone", async () => await Tenants.GetAsync(Admin, name) is null, TimeSpan.FromSeconds(60));

        var trail = await AuditTrails.WaitForAsync(Admin, uid, "Deleted");
        var actions = trail.Records.Select(r => r.Action).ToList();
        var listing = string.Join("; ", trail.Records.Select(r => $"{r.Seq} {r.Action} {string.Join("|", r.Objects)} by {r.Requester?.User}"));
        actions.Where(a => a != "SecretRotated" && a != "VerificationChanged").Should().Equal(
            ["Provisioned", "SecretGenerated", "AccessGranted", "AccessGranted", "Extended", "Suspended", "Resumed", "DriftCorrected", "Shortened", "Expired", "Deleted"], listing);
        actions.Should().Contain("SecretGenerated").And.Contain("SecretRotated");
        actions.Count(a => a == "Provisioned").Should().Be(1, listing);
        actions.Count(a => a == "Extended").Should().Be(1, listing);
        trail.Records.Single(r => r.Action == "Provisioned").Requester!.User.Should().Be("alice@vendor.example");
        var extended = trail.Records.Single(r => r.Action == "Extended");
        extended.Requester!.User.Should().Be("bob@vendor.example", "the extension names who asked for it");
        extended.Requester.Groups.Should().Contain("se-team");
        trail.Records.Single(r => r.Action == "Deleted").Requester.Should().BeNull("a delete does not pass the mutating webhook, so who deleted is the API server audit log's to say");
        trail.Records.Should().OnlyContain(r => r.Uid == uid && r.Tenant == name && r.Operator.Version.Length > 0 && r.Key.Length > 0);
        trail.Records.Where(r => r.Action == "DriftCorrected").SelectMany(r => r.Objects).Should().Contain("NetworkPolicy default-deny", listing);
        trail.Records.Where(r => r.Action == "AccessGranted").SelectMany(r => r.Objects).Should().Contain(o => o.Contains("carol@acme.example"));

        // Verifiable after the DemoTenant is gone, from the store and from the CLI.
        (await AuditTrails.VerifyAsync(Admin, uid)).Ok.Should().BeTrue();
        var verify = await AuditTrails.CommandAsync(fixture.Plane, "verify", name);
        verify.ExitCode.Should().Be(0, verify.Stdout + verify.Stderr);
        verify.Stdout.Should().Contain("OK").And.Contain(name);
        var show = await AuditTrails.CommandAsync(fixture.Plane, "show", name);
        show.ExitCode.Should().Be(0, show.Stderr);
        show.Stdout.Should().Contain("Extended").And.Contain("bob@vendor.example").And.Contain("chain verified");

        // No generated value in any record, stored or printed.
        var stored = string.Join("\n", (await Admin.CoreV1.ListNamespacedConfigMapAsync(ChartPermissions.ReleaseNamespace, labelSelector: $"{AuditStore.UidLabel}={uid}"))
            .Items.SelectMany(c => c.Data.Values));
        var printed = string.Join("\n", _operator.AuditLines.Lines);
        printed.Should().Contain(uid, "each record is also a line on stdout");
        foreach (var value in new[] { password, rotated })
        {
            stored.Should().NotContain(value);
            printed.Should().NotContain(value);
            show.Stdout.Should().NotContain(value);
        }
        var line = _operator.AuditLines.Lines.First(l => l.Contains(uid, StringComparison.Ordinal));
        JsonDocument.Parse(line).RootElement.GetProperty("audit").GetProperty("hash").GetString().Should().HaveLength(64);
    }

    [Fact]
    public async Task Editing_removing_or_swapping_a_stored_record_fails_verification_at_that_record()
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("tamper"), s =>
        {
            s.Access = [new AccessEntry { Kind = "Group", Name = UniqueName.For("p"), Role = "edit" }, new AccessEntry { Kind = "User", Name = UniqueName.For("u"), Role = "view" }];
            s.Secrets = [new SecretSpec { Name = "db", Keys = [new SecretKeySpec { Name = "password" }] }];
        }));
        var uid = (await Tenants.CreateAsync(Admin, tenant)).Metadata.Uid;
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var trail = await AuditTrails.WaitForAsync(Admin, uid, "Provisioned", "AccessGranted", "SecretGenerated");
        trail.Records.Count.Should().BeGreaterThanOrEqualTo(4);
        (await AuditTrails.VerifyAsync(Admin, uid)).Ok.Should().BeTrue();
        var cm = AuditStore.HeadName(uid);
        var original = (await Admin.CoreV1.ReadNamespacedConfigMapAsync(cm, ChartPermissions.ReleaseNamespace)).Data;
        string Key(long seq) => AuditStore.RecordKey(seq);

        async Task<(bool Ok, long? Bad, string Cli)> TamperAsync(Dictionary<string, string?> change)
        {
            await Admin.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(JsonSerializer.Serialize(new { data = change }), V1Patch.PatchType.MergePatch), cm, ChartPermissions.ReleaseNamespace);
            var verdict = await AuditTrails.VerifyAsync(Admin, uid);
            var cli = await AuditTrails.CommandAsync(fixture.Plane, "verify", tenant.Metadata.Name);
            cli.ExitCode.Should().Be(verdict.Ok ? 0 : 1, cli.Stdout + cli.Stderr);
            // Put it back as it was (an admin can; that is why the chain is there).
            await Admin.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(JsonSerializer.Serialize(new { data = original }), V1Patch.PatchType.MergePatch), cm, ChartPermissions.ReleaseNamespace);
            return (verdict.Ok, verdict.BadSeq, cli.Stdout);
        }

        var edited = await TamperAsync(new() { [Key(2)] = original[Key(2)].Replace("\"reason\":\"", "\"reason\":\"nothing happened here. ", StringComparison.Ordinal) });
        edited.Should().Match<(bool Ok, long? Bad, string Cli)>(r => !r.Ok && r.Bad == 2);
        edited.Cli.Should().Contain("BROKEN").And.Contain("record 2 was changed");

        var removed = await TamperAsync(new() { [Key(2)] = null });
        removed.Should().Match<(bool Ok, long? Bad, string Cli)>(r => !r.Ok && r.Bad == 2);
        removed.Cli.Should().Contain("record 2 is missing");

        var swapped = await TamperAsync(new() { [Key(2)] = original[Key(3)], [Key(3)] = original[Key(2)] });
        swapped.Should().Match<(bool Ok, long? Bad, string Cli)>(r => !r.Ok && r.Bad == 2);

        var last = trail.Head.Seq;
        var cut = await TamperAsync(new() { [Key(last)] = null });
        cut.Should().Match<(bool Ok, long? Bad, string Cli)>(r => !r.Ok && r.Bad == last, "a record removed at the end is found against the head");

        (await AuditTrails.VerifyAsync(Admin, uid)).Ok.Should().BeTrue("restored, it verifies again");
    }
}
