using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Cli;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Cli;

/// <summary>
/// Issue 15 part 2 on the real control plane: every verb of kubectl demo, run as a sales engineer who has only
/// demotenant-editor (and is the admin of the demos they create), does what it says.
/// </summary>
public sealed class KubectlDemoTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private string _se = null!;
    private KubectlDemo _cli = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();
    private KubectlDemo AdminCli => new(fixture.Plane.KubeconfigPath);

    public async Task InitializeAsync()
    {
        // Verification on, so verify has a verdict to show: it runs when a demo is provisioned or changed; a long period
        // keeps it from repeating (each run is a hundred SubjectAccessReviews) while the other classes share the plane.
        _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("cli"), o => o.VerificationPeriod = TimeSpan.FromMinutes(10));
        (_se, _cli) = await SalesEngineer.CreateAsync(fixture.Plane);
    }

    public async Task DisposeAsync()
    {
        await _operator.DisposeAsync();
        await SalesEngineer.DeleteAsync(fixture.Plane, _se);
    }

    /// <summary>Creates a demo through the CLI as the sales engineer (its admin), for this class's operator; waits for Ready.</summary>
    private Task<(string Name, CommandResult Result)> CreateAsync(params string[] extra) => CreateAsync(seIsAdmin: true, extra);

    private async Task<(string Name, CommandResult Result)> CreateAsync(bool seIsAdmin, params string[] extra)
    {
        var name = UniqueName.For("demo");
        string[] admin = seIsAdmin ? ["--grant", $"user:{_se}=admin"] : [];
        var r = await _cli.OkAsync(["create", name, "--prospect", "ACME Corp", .. admin,
            "--label", $"{OperatorUnderTest.RunLabel}={_operator.RunId}", "--timeout", "50s", .. extra]);
        return (name, r);
    }

    [Fact]
    public async Task Sales_engineer_creates_a_demo_and_the_CLI_waits_until_it_is_Ready()
    {
        var (name, r) = await CreateAsync("--ttl", "7d", "--grant", "group:prospect-initech=edit", "--secret", "demo-db:username,password", "--profile", "small");

        r.Stdout.Should().Contain($"demo {name} is Ready: namespace demo-{name}, expires ");
        r.Stderr.Should().Contain($"waiting for {name} to be Ready");
        var t = await Tenants.GetAsync(Admin, name);
        t!.Status!.Phase.Should().Be(Phases.Ready);
        t.Spec.Owner.Should().Be(_se, "the owner defaults to the caller, from the kubeconfig's client certificate");
        t.Spec.Ttl.Should().Be("168h");
        t.Spec.Access!.Select(a => $"{a.Kind}:{a.Name}={a.Role}").Should().Equal($"User:{_se}=admin", "Group:prospect-initech=edit");
        (await Admin.CoreV1.ReadNamespacedSecretAsync("demo-db", $"demo-{name}")).Data.Keys.Should().Contain(["username", "password"]);
    }

    [Fact]
    public async Task Sales_engineer_lists_their_demos_with_the_time_left()
    {
        var (soon, created) = await CreateAsync("--ttl", "1d");
        created.Stdout.Should().Contain("is Expiring", "a demo within a day of its expiry is provisioned, in the warning window");
        var (later, _) = await CreateAsync("--ttl", "7d");

        var table = (await _cli.OkAsync("list", "--mine")).Stdout;
        table.Should().StartWith("NAME").And.NotContain("\u001b[", "no colour when the output is not a terminal");
        table.Split('\n').Should().Contain(l => l.StartsWith(soon + " ", StringComparison.Ordinal) && l.Contains("ACME Corp") && l.Contains(_se) && l.Contains("23h"));
        var expiring = (await _cli.OkAsync("list", "--mine", "--expiring", "48h")).Stdout;
        expiring.Should().Contain(soon).And.NotContain(later);

        var json = JsonDocument.Parse((await _cli.OkAsync("list", "--mine", "--output", "json")).Stdout);
        json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()).Should().Contain([soon, later]);
    }

    [Fact]
    public async Task Sales_engineer_extends_a_demo_by_three_days()
    {
        var (name, _) = await CreateAsync("--ttl", "2d");
        var before = (await Tenants.GetAsync(Admin, name))!.Status!.ExpiresAt!.Value;

        var r = await _cli.OkAsync("extend", name, "--by", "3d");

        var after = (await Tenants.GetAsync(Admin, name))!.Status!.ExpiresAt!.Value;
        (after - before).Should().BeCloseTo(TimeSpan.FromDays(3), TimeSpan.FromSeconds(2));
        r.Stdout.Should().Contain($"{name} expires {after.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");
    }

    [Fact]
    public async Task Sales_engineer_extends_a_demo_until_a_date()
    {
        var (name, _) = await CreateAsync("--ttl", "2d");
        var until = DateTimeOffset.UtcNow.AddDays(10);
        var text = until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        await _cli.OkAsync("extend", name, "--until", text);

        (await Tenants.GetAsync(Admin, name))!.Status!.ExpiresAt!.Value.Should().BeCloseTo(until, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Sales_engineer_suspends_and_resumes_a_demo()
    {
        var (name, _) = await CreateAsync();

        (await _cli.OkAsync("suspend", name)).Stdout.Should().Contain($"{name} suspended: Suspended");
        (await Tenants.GetAsync(Admin, name))!.Status!.Phase.Should().Be(Phases.Suspended);

        (await _cli.OkAsync("resume", name)).Stdout.Should().Contain($"{name} resumed: Ready");
        (await Tenants.GetAsync(Admin, name))!.Spec.Suspended.Should().BeFalse();
    }

    [Fact]
    public async Task Sales_engineer_grants_and_revokes_a_group_and_the_role_bindings_follow()
    {
        var (name, _) = await CreateAsync();
        var ns = $"demo-{name}";
        async Task<bool> Bound(string group) => (await Admin.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items
            .Any(b => b.Subjects?.Any(s => s.Kind == "Group" && s.Name == group) == true);

        (await _cli.OkAsync("grant", name, "group:prospect-globex=view")).Stdout.Should().Contain($"granted group:prospect-globex=view on {name}");
        await Eventually.HoldsAsync("a RoleBinding for the granted group", () => Bound("prospect-globex"));
        (await Access.CanAsync(Admin, "someone", ["prospect-globex"], "list", "pods", ns)).Should().BeTrue();

        (await _cli.OkAsync("revoke", name, "group:prospect-globex")).Stdout.Should().Contain($"revoked group:prospect-globex on {name}");
        await Eventually.HoldsAsync("no RoleBinding for the revoked group", async () => !await Bound("prospect-globex"));
        (await Tenants.GetAsync(Admin, name))!.Spec.Access!.Should().ContainSingle().Which.Name.Should().Be(_se);

        var missing = await _cli.RunAsync("revoke", name, "group:prospect-globex");
        missing.ExitCode.Should().Be(ExitCode.ForbiddenOrNotFound);
        missing.Stderr.Trim().Should().Be($"error: {name} has no access entry group:prospect-globex");
    }

    [Fact]
    public async Task Sales_engineer_describes_a_demo_with_its_timeline_and_is_told_in_one_line_what_they_may_not_see()
    {
        var (name, _) = await CreateAsync("--ttl", "3d");

        var text = (await _cli.OkAsync("describe", name, "--audit-namespace", ChartPermissions.ReleaseNamespace)).Stdout;

        text.Should().Contain($"Name:       {name}").And.Contain("Phase:      Ready").And.Contain($"Namespace:  demo-{name}");
        text.Should().Contain("Conditions:").And.MatchRegex(@"(?m)^  Ready +True ");
        text.Should().MatchRegex($@"(?m)^  User +{_se} +admin +with the demo");
        // The operator's events and the signed trail are not theirs to read; the namespace's events and the newest
        // records (status.audit.recent) are.
        text.Should().Contain($"Events in demo-{name} (recent):");
        text.Should().Contain($"events: the operator's are not shown, your account may not list events in kube-system; those above are namespace demo-{name}'s own");
        text.Should().MatchRegex(@"Audit timeline \(newest \d+ of \d+, from status\):").And.MatchRegex(@"(?m)^  1 +\S+ +Provisioned ");
        text.Should().Contain($"the signed trail is in ConfigMaps in {ChartPermissions.ReleaseNamespace}, which your account may not read");

        // Someone who may read both sees the operator's events and the audit timeline instead.
        var full = (await AdminCli.OkAsync("describe", name, "--audit-namespace", ChartPermissions.ReleaseNamespace)).Stdout;
        full.Should().Contain("Events (recent):").And.Contain("Audit timeline:").And.Contain("Provisioned").And.NotContain("not shown");
    }

    [Fact]
    public async Task Sales_engineer_sees_the_operator_last_verdict_and_an_admin_runs_the_verifier()
    {
        // Not the demo's admin here: this suite's engineer role has a name of its own (the chart's demotenant-editor
        // belongs to the Helm tests), which the verifier cannot know grants only DemoTenants, so as a subject of the demo
        // the engineer's binding would be a path (on an installed chart it is not: OperatorTokenTests).
        // A group of its own: one shared with another demo is a path between the two.
        var (name, _) = await CreateAsync(seIsAdmin: false, "--grant", $"group:{UniqueName.For("prospect")}=edit");
        await Verifications.WaitAsync(Admin, name, "True");

        var se = await _cli.OkAsync("verify", name);
        se.Stdout.Should().Contain("showing the operator's last verdict").And.Contain($"{name}: IsolationVerified=True").And.Contain("checks, 0 failed");

        var admin = await AdminCli.OkAsync("verify", name);
        admin.Stdout.Should().NotContain("last verdict").And.MatchRegex($@"(?m)^{name} +demo-{name} +verified ");
    }

    [Fact]
    public async Task A_demo_that_does_not_verify_exits_1_and_names_the_path()
    {
        // A path someone opened before the demo existed: its prospect group may view every namespace.
        var group = UniqueName.For("prospect");
        await using var everywhere = await ClusterWideBinding.CreateAsync(Admin, "view", "Group", group);
        var (name, _) = await CreateAsync(seIsAdmin: false, "--grant", $"group:{group}=edit");
        await Verifications.WaitAsync(Admin, name, "False");

        var r = await _cli.RunAsync("verify", name);
        r.ExitCode.Should().Be(ExitCode.CheckFailed, r.ToString());
        r.Stdout.Should().Contain("IsolationVerified=False").And.Contain($"path   ClusterRoleBinding {everywhere.Name}").And.EndWith("NOT verified\n");
    }

    [Fact]
    public async Task Audit_is_one_line_for_a_sales_engineer_and_the_verified_trail_for_an_admin()
    {
        var (name, _) = await CreateAsync();
        var location = new[] { "--audit-namespace", ChartPermissions.ReleaseNamespace, "--audit-key-secret", ChartPermissions.AuditKeySecret };

        var se = await _cli.RunAsync(["audit", name, .. location]);
        se.ExitCode.Should().Be(ExitCode.ForbiddenOrNotFound);
        se.Stderr.Trim().Should().Be($"error: audit: not shown, your account may not read ConfigMaps in {ChartPermissions.ReleaseNamespace} (the audit trail is for security and platform admins)");

        await Eventually.HoldsAsync("status.audit", async () => (await Tenants.GetAsync(Admin, name))?.Status?.Audit?.Head is not null);
        (await AdminCli.OkAsync(["audit", name, .. location])).Stdout.Should().Contain($"DemoTenant {name}").And.Contain("chain verified").And.Contain("Provisioned");
        (await AdminCli.OkAsync(["audit", name, "--verify", .. location])).Stdout.Should().StartWith($"OK      {name}");
    }

    [Fact]
    public async Task Sales_engineer_deletes_a_demo_and_the_CLI_waits_for_the_namespace_to_go()
    {
        var (name, _) = await CreateAsync();

        var refused = await _cli.RunAsync("delete", name);
        refused.ExitCode.Should().Be(ExitCode.Usage);
        refused.Stderr.Should().Contain("pass --yes");

        (await _cli.OkAsync("delete", name, "--yes")).Stdout.Should().Contain($"deleted {name} and namespace demo-{name}");
        (await Tenants.GetAsync(Admin, name)).Should().BeNull();
        var act = () => Admin.CoreV1.ReadNamespaceAsync($"demo-{name}");
        (await act.Should().ThrowAsync<k8s.Autorest.HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Dry_run_prints_YAML_that_the_API_server_accepts()
    {
        var name = UniqueName.For("dry");
        var r = await _cli.OkAsync("create", name, "--prospect", "ACME: \"quoted\" Corp", "--ttl", "36h", "--guest", "jane-at-acme=edit",
            "--grant", "group:prospect-acme=view", "--secret", "demo-db:password", "--dry-run");

        var apply = await Kubectl.RunAsync(_cli.Kubeconfig, new KubectlInput(r.Stdout), "create", "--dry-run=server", "-o", "json", "-f", "-");
        apply.ExitCode.Should().Be(0, apply.ToString());
        var accepted = KubernetesJson.Deserialize<DemoTenant>(apply.Stdout);
        accepted.Spec.Prospect.Should().Be("ACME: \"quoted\" Corp");
        accepted.Spec.Ttl.Should().Be("36h");
        accepted.Spec.Owner.Should().Be(_se);
        (await Tenants.GetAsync(Admin, name)).Should().BeNull("a dry run creates nothing");
    }

    [Fact]
    public async Task Shell_completion_offers_the_demo_names_the_caller_can_see()
    {
        var (name, _) = await CreateAsync();
        var line = $"kubectl-demo --kubeconfig {_cli.Kubeconfig} describe ";
        var output = new StringWriter();

        var code = await CliApp.RunAsync([$"[suggest:{line.Length}]", line], CliConsole.Redirected(output, new StringWriter()));

        code.Should().Be(0);
        output.ToString().Split('\n').Should().Contain(name);
    }

    [Fact]
    public async Task Errors_are_one_line_with_what_to_do_and_a_documented_exit_code()
    {
        var missing = await _cli.RunAsync("describe", UniqueName.For("nothing"));
        missing.ExitCode.Should().Be(ExitCode.ForbiddenOrNotFound);
        missing.Stderr.Should().StartWith("error: no DemoTenant named ").And.NotContain("   at ");

        var stranger = new KubectlDemo(fixture.Plane.WriteKubeconfigFor(UniqueName.For("stranger")));
        var forbidden = await stranger.RunAsync("list");
        forbidden.ExitCode.Should().Be(ExitCode.ForbiddenOrNotFound);
        forbidden.Stderr.Trim().Should().Be("error: you may not list DemoTenants: ask for the demotenant-editor role");

        // An admin acting --as that stranger (as kubectl --as) gets the stranger's answer.
        var impersonated = await AdminCli.RunAsync("list", "--as", UniqueName.For("stranger"));
        impersonated.ExitCode.Should().Be(ExitCode.ForbiddenOrNotFound, impersonated.ToString());
    }
}
