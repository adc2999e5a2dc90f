using System.Diagnostics;
using System.Net;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>
/// Guests (spec.access kind Guest): prospects with no account, who get a ServiceAccount in the demo namespace and a
/// token the demo's admin issues with the TokenRequest API. Proven with real tokens against the real authenticator:
/// plain kubectl works in the demo namespace only, and a token dies the moment its guest's access ends.
/// </summary>
public sealed class GuestAccessTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private DemoTenant _acme = null!;
    private DemoTenant _other = null!;
    private string _se = null!;
    private string _prospectGroup = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();
    private string Ns => _acme.Spec.Namespace!;
    private string OtherNs => _other.Spec.Namespace!;

    public async Task InitializeAsync()
    {
        _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("guests"));
        _se = UniqueName.For("se");
        _prospectGroup = UniqueName.For("prospect");
        _acme = _operator.Own(Tenants.New(UniqueName.For("acme"), s => s.Access =
        [
            new AccessEntry { Kind = "User", Name = _se, Role = "admin" },
            new AccessEntry { Kind = "Group", Name = _prospectGroup, Role = "edit" },
            new AccessEntry { Kind = "Guest", Name = "jane-at-acme", Role = "edit" },
        ]));
        _other = _operator.Own(Tenants.New(UniqueName.For("other"), s => s.Access =
        [
            new AccessEntry { Kind = "User", Name = UniqueName.For("se"), Role = "admin" },
            new AccessEntry { Kind = "Guest", Name = "jane-at-acme", Role = "view" },
        ]));
        await Tenants.CreateAsync(Admin, _acme);
        await Tenants.CreateAsync(Admin, _other);
        _acme = await Tenants.WaitForPhaseAsync(Admin, _acme.Metadata.Name, Phases.Ready);
        _other = await Tenants.WaitForPhaseAsync(Admin, _other.Metadata.Name, Phases.Ready);
    }

    public async Task DisposeAsync() => await _operator.DisposeAsync();

    [Fact]
    public async Task Guest_token_from_the_demo_admin_works_with_plain_kubectl_in_the_demo_namespace_and_nowhere_else()
    {
        var guest = _acme.Status!.Guests.Should().ContainSingle().Subject;
        guest.Should().BeEquivalentTo(new GuestStatus { Name = "jane-at-acme", ServiceAccount = "guest-1", Role = "edit", ExpiresAt = null, TokenMaxSeconds = 86400 });
        var account = await Admin.CoreV1.ReadNamespacedServiceAccountAsync(guest.ServiceAccount, Ns);
        account.AutomountServiceAccountToken.Should().BeFalse();
        account.Metadata.Labels[Guests.GuestLabel].Should().Be("jane-at-acme");

        var token = await GuestCredentials.IssueAsync(fixture.Plane.ClientFor(_se), Ns, guest.ServiceAccount);
        var kubeconfig = GuestCredentials.WriteKubeconfig(fixture.Plane, Ns, token);

        (await Kubectl.RunAsync(kubeconfig, "get", "pods")).ExitCode.Should().Be(0, "the guest works in its demo's namespace");
        (await Kubectl.RunAsync(kubeconfig, "create", "configmap", "from-jane", "--from-literal=k=v")).ExitCode.Should().Be(0, "edit may create");
        (await Kubectl.RunAsync(kubeconfig, "auth", "whoami")).ToString().Should().NotContain("system:masters");
        var otherTenant = await Kubectl.RunAsync(kubeconfig, "get", "pods", "-n", OtherNs);
        otherTenant.ExitCode.Should().NotBe(0);
        otherTenant.Stderr.Should().Contain("Forbidden", "another demo's namespace is refused, even where a guest of the same name is invited");
        var clusterWide = await Kubectl.RunAsync(kubeconfig, "get", "namespaces");
        clusterWide.ExitCode.Should().NotBe(0);
        clusterWide.Stderr.Should().Contain("Forbidden");
        (await Kubectl.RunAsync(kubeconfig, "delete", "networkpolicy", "default-deny")).Stderr.Should().Contain("Forbidden");
        (await Kubectl.RunAsync(kubeconfig, "create", "token", guest.ServiceAccount)).ExitCode.Should().NotBe(0, "a guest cannot mint itself more tokens");

        // The token is never kept by the operator: not in its log, the demo's status or events, or its audit trail.
        var tenant = (await Tenants.GetAsync(Admin, _acme.Metadata.Name))!;
        KubernetesJson.Serialize(tenant).Should().NotContain(token);
        (await Tenants.EventsAsync(Admin, _acme.Metadata.Name)).Should().NotContain(e => KubernetesJson.Serialize(e).Contains(token));
        var trail = await AuditTrails.ReadAsync(Admin, tenant.Metadata.Uid);
        KubernetesJson.Serialize(trail!.Records).Should().NotContain(token);
        trail.Records.Should().Contain(r => r.Action == "AccessGranted" && r.Objects.Contains("access Guest jane-at-acme (tenant-edit)"), "the audit trail names the guest");
        CapturedLogs.Instance.Count.Should().BeGreaterThan(0, "the operator's log is captured");
        CapturedLogs.Instance.Contains(token).Should().BeFalse();
        _operator.AuditLines.Lines.Should().NotContain(l => l.Contains(token));
    }

    [Fact]
    public async Task The_verifier_probes_the_guest_as_its_account_and_finds_the_demo_isolated()
    {
        var result = await OperatorProcess.RunCommandAsync(fixture.Plane.KubeconfigPath, "verify", _acme.Metadata.Name, "--json");

        result.ExitCode.Should().Be(0, result.Stdout + result.Stderr);
        result.Stdout.Should().Contain("\"result\": \"verified\"");
    }

    [Fact]
    public async Task Only_the_demos_admins_may_issue_tokens_and_only_for_its_guests()
    {
        var se = fixture.Plane.ClientFor(_se);
        var prospect = fixture.Plane.ClientFor("someone-at-acme", _prospectGroup);

        await Refused(() => GuestCredentials.IssueAsync(se, Ns, RbacBuilder.WorkloadServiceAccount), "a workload token would outlive the admin's own access");
        await Refused(() => GuestCredentials.IssueAsync(se, Ns, "default"), "only guest accounts");
        await Refused(() => GuestCredentials.IssueAsync(se, OtherNs, "guest-1"), "another demo's guest is that demo's admins' to invite");
        await Refused(() => GuestCredentials.IssueAsync(prospect, Ns, "guest-1"), "edit does not issue tokens");
        (await GuestCredentials.IssueAsync(se, Ns, "guest-1")).Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Removing_the_guest_entry_stops_its_token_at_once_and_suspension_does_too()
    {
        var se = UniqueName.For("se");
        var t = _operator.Own(Tenants.New(UniqueName.For("rm"), s => s.Access =
        [
            new AccessEntry { Kind = "User", Name = se, Role = "admin" },
            new AccessEntry { Kind = "Guest", Name = "bob", Role = "view" },
            new AccessEntry { Kind = "Guest", Name = "kim", Role = "view" },
        ]));
        await Tenants.CreateAsync(Admin, t);
        var ready = await Tenants.WaitForPhaseAsync(Admin, t.Metadata.Name, Phases.Ready);
        var ns = t.Spec.Namespace!;
        var bob = ready.Status!.Guests!.Single(g => g.Name == "bob");
        var kim = ready.Status.Guests!.Single(g => g.Name == "kim");
        var bobClient = GuestCredentials.Client(fixture.Plane, await GuestCredentials.IssueAsync(fixture.Plane.ClientFor(se), ns, bob.ServiceAccount));
        var kimClient = GuestCredentials.Client(fixture.Plane, await GuestCredentials.IssueAsync(fixture.Plane.ClientFor(se), ns, kim.ServiceAccount));
        (await GuestCredentials.ListPodsAsync(bobClient, ns)).Should().Be(HttpStatusCode.OK);

        var clock = Stopwatch.StartNew();
        await Tenants.PatchSpecAsync(Admin, t.Metadata.Name, new
        {
            access = new object[] { new { kind = "User", name = se, role = "admin" }, new { kind = "Guest", name = "kim", role = "view" } },
        });
        await Eventually.HoldsAsync("bob's token refused", async () => Refusal(await GuestCredentials.ListPodsAsync(bobClient, ns)), TimeSpan.FromSeconds(15));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the binding goes with the entry, not when the 1-hour token expires");
        // The account goes too: the token no longer authenticates at all, once the API server's own cache of
        // successful token reviews (10 s in kube-apiserver) has let go of it.
        await Eventually.HoldsAsync("bob's token unknown", async () => await GuestCredentials.ListPodsAsync(bobClient, ns) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(15));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
        (await GuestCredentials.ListPodsAsync(kimClient, ns)).Should().Be(HttpStatusCode.OK, "only the removed guest loses access");
        var after = await Tenants.WaitForPhaseAsync(Admin, t.Metadata.Name, Phases.Ready);
        after.Status!.Guests!.Select(g => g.Name).Should().Equal("kim");
        (await Admin.CoreV1.ListNamespacedServiceAccountAsync(ns)).Items.Select(a => a.Metadata.Name).Should().NotContain(bob.ServiceAccount);
        var revoked = await AuditTrails.WaitForAsync(Admin, after.Metadata.Uid, "AccessRevoked");
        revoked.Records.Should().Contain(x => x.Action == "AccessRevoked" && x.Objects.Contains("access Guest bob (tenant-view)"));

        await Tenants.PatchSpecAsync(Admin, t.Metadata.Name, new { suspended = true });
        await Eventually.HoldsAsync("kim's token refused while suspended", async () => Refusal(await GuestCredentials.ListPodsAsync(kimClient, ns)), TimeSpan.FromSeconds(10));
        await Eventually.HoldsAsync("kim's token unknown while suspended", async () => await GuestCredentials.ListPodsAsync(kimClient, ns) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(20));
        (await Tenants.WaitForPhaseAsync(Admin, t.Metadata.Name, Phases.Suspended)).Status!.Guests.Should().BeNull();
        await Refused(() => GuestCredentials.IssueAsync(fixture.Plane.ClientFor(se), ns, kim.ServiceAccount), "no tokens while suspended");

        await Tenants.PatchSpecAsync(Admin, t.Metadata.Name, new { suspended = false });
        var resumed = await Tenants.WaitForPhaseAsync(Admin, t.Metadata.Name, Phases.Ready);
        (await GuestCredentials.ListPodsAsync(kimClient, ns)).Should().Be(HttpStatusCode.Unauthorized, "a token from before the suspension stays dead");
        var fresh = GuestCredentials.Client(fixture.Plane, await GuestCredentials.IssueAsync(fixture.Plane.ClientFor(se), ns, resumed.Status!.Guests!.Single().ServiceAccount));
        (await GuestCredentials.ListPodsAsync(fresh, ns)).Should().Be(HttpStatusCode.OK, "a new kubeconfig works after resume");
        await Tenants.DeleteAsync(Admin, t.Metadata.Name);
    }

    [Fact]
    public async Task At_its_expiresAt_a_guests_token_stops_working_while_the_demo_goes_on()
    {
        var se = UniqueName.For("se");
        var until = DateTimeOffset.UtcNow.AddSeconds(25);
        var t = _operator.Own(Tenants.New(UniqueName.For("exp"), s => s.Access =
        [
            new AccessEntry { Kind = "User", Name = se, Role = "admin" },
            new AccessEntry { Kind = "Guest", Name = "jane", Role = "edit", ExpiresAt = until },
        ]));
        await Tenants.CreateAsync(Admin, t);
        var ready = await Tenants.WaitForPhaseAsync(Admin, t.Metadata.Name, Phases.Ready);
        var ns = t.Spec.Namespace!;
        var jane = ready.Status!.Guests!.Single();
        jane.ExpiresAt.Should().BeCloseTo(until, TimeSpan.FromSeconds(1));
        var client = GuestCredentials.Client(fixture.Plane, await GuestCredentials.IssueAsync(fixture.Plane.ClientFor(se), ns, jane.ServiceAccount, 3600));
        (await GuestCredentials.ListPodsAsync(client, ns)).Should().Be(HttpStatusCode.OK);

        await Eventually.HoldsAsync("jane's token refused", async () => Refusal(await GuestCredentials.ListPodsAsync(client, ns)), TimeSpan.FromSeconds(60));
        var late = DateTimeOffset.UtcNow - until;
        late.Should().BeLessThan(TimeSpan.FromSeconds(3), "the operator wakes at the entry's expiresAt, not at a resync");
        late.Should().BeGreaterThan(TimeSpan.FromSeconds(-1), "not before it either");
        await Eventually.HoldsAsync("jane's token unknown", async () => await GuestCredentials.ListPodsAsync(client, ns) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(15));
        var after = await Tenants.WaitForPhaseAsync(Admin, t.Metadata.Name, Phases.Ready);
        after.Status!.Guests.Should().BeNull();
        await Tenants.EventsOnceAsync(Admin, t.Metadata.Name, e => e.Reason == "AccessExpired" && e.Note.Contains("jane"), "jane's AccessExpired event");
        await Tenants.DeleteAsync(Admin, t.Metadata.Name);
    }

    /// <summary>Forbidden once the binding is gone; Unauthorized once the account is gone and the API server's token cache let go.</summary>
    private static bool Refusal(HttpStatusCode code) => code is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;

    private static async Task Refused(Func<Task> act, string because)
    {
        var e = await act.Should().ThrowAsync<HttpOperationException>(because);
        e.Which.Response.StatusCode.Should().Be(HttpStatusCode.Forbidden, because);
    }
}
