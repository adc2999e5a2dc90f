using System.Globalization;
using System.Text.RegularExpressions;
using IsolationOperator.Cli;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;

namespace IsolationOperator.Tests.Integration.Cli;

/// <summary>
/// kubectl demo kubeconfig: a sales engineer (the demo's admin, with only demotenant-editor besides) issues a guest's
/// kubeconfig with their own rights; the guest gets into the demo's namespace and nowhere else, and is out the moment
/// the entry goes. With the operator side of guests (#15 part 1).
/// </summary>
public sealed class GuestKubeconfigTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private string _se = null!;
    private KubectlDemo _cli = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("guest-kubeconfig-").FullName;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync()
    {
        _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("guests"));
        (_se, _cli) = await SalesEngineer.CreateAsync(fixture.Plane);
    }

    public async Task DisposeAsync()
    {
        await _operator.DisposeAsync();
        await SalesEngineer.DeleteAsync(fixture.Plane, _se);
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<string> CreateAsync(params string[] extra)
    {
        var name = UniqueName.For("guestdemo");
        await _cli.OkAsync(["create", name, "--prospect", "ACME Corp", "--grant", $"user:{_se}=admin",
            "--label", $"{OperatorUnderTest.RunLabel}={_operator.RunId}", "--timeout", "50s", .. extra]);
        return name;
    }

    private static DateTimeOffset Expiry(string text) =>
        DateTimeOffset.Parse(Regex.Match(text, @"expires (\S+Z)").Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_guest_kubeconfig_works_in_the_demo_namespace_only_and_stops_when_the_guest_is_revoked()
    {
        var name = await CreateAsync("--guest", "jane-at-acme=edit");
        var other = await CreateAsync();
        var file = Path.Combine(_dir, "jane.kubeconfig");

        var issued = await _cli.OkAsync("kubeconfig", name, "--guest", "jane-at-acme", "--for", "2h", "-o", file);

        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var token = KubernetesClientConfiguration.LoadKubeConfig(file).Users.Single().UserCredentials.Token;
        token.Should().NotBeNullOrEmpty();
        (issued.Stdout + issued.Stderr).Should().NotContain(token, "the token goes into the kubeconfig and nowhere else");
        issued.Stdout.Should().Contain($"written to {file}");
        (Expiry(issued.Stdout) - DateTimeOffset.UtcNow).Should().BeCloseTo(TimeSpan.FromHours(2), TimeSpan.FromMinutes(1));

        (await Kubectl.RunAsync(file, "get", "pods")).ExitCode.Should().Be(0, "the namespace is preset and the guest may list pods there");
        var elsewhere = await Kubectl.RunAsync(file, "get", "pods", "-n", $"demo-{other}");
        elsewhere.ExitCode.Should().NotBe(0);
        elsewhere.Stderr.Should().Contain("forbidden");
        var clusterWide = await Kubectl.RunAsync(file, "get", "namespaces");
        clusterWide.ExitCode.Should().NotBe(0);
        clusterWide.Stderr.Should().Contain("forbidden");

        await _cli.OkAsync("revoke", name, "guest:jane-at-acme");
        await Eventually.HoldsAsync("the guest's token stops working", async () => (await Kubectl.RunAsync(file, "get", "pods")).ExitCode != 0,
            TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_guest_kubeconfig_stops_working_at_the_entrys_expiresAt_not_at_the_tokens_own_expiry()
    {
        var name = await CreateAsync();
        var ends = DateTimeOffset.UtcNow.AddSeconds(40);
        await _cli.OkAsync("grant", name, "guest:carol=view", "--expires", ends.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        await Eventually.HoldsAsync("carol in status.guests", async () => (await Tenants.GetAsync(Admin, name))?.Status?.Guests?.Any(g => g.Name == "carol") == true);
        var file = Path.Combine(_dir, "carol.kubeconfig");

        var issued = await _cli.OkAsync("kubeconfig", name, "--guest", "carol", "-o", file);

        Expiry(issued.Stdout).Should().BeCloseTo(ends, TimeSpan.FromSeconds(1), "the kubeconfig says when it stops, not the token's 10 minutes");
        issued.Stdout.Should().Contain("removed then");
        (await Kubectl.RunAsync(file, "get", "pods")).ExitCode.Should().Be(0);
        await Eventually.HoldsAsync("carol's kubeconfig refused", async () => (await Kubectl.RunAsync(file, "get", "pods")).ExitCode != 0, TimeSpan.FromSeconds(60));
        (DateTimeOffset.UtcNow - ends).Should().BeLessThan(TimeSpan.FromSeconds(5), "the operator removes the guest at expiresAt");
    }

    [Fact]
    public async Task A_token_lifetime_longer_than_the_guest_access_is_cut_to_it()
    {
        var name = await CreateAsync();
        var ends = DateTimeOffset.UtcNow.AddMinutes(30);
        await _cli.OkAsync("grant", name, "guest:bob-at-acme=view", "--expires", ends.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        await Eventually.HoldsAsync("bob in status.guests", async () => (await Tenants.GetAsync(Admin, name))?.Status?.Guests?.Any(g => g.Name == "bob-at-acme") == true);

        var issued = await _cli.OkAsync("kubeconfig", name, "--guest", "bob-at-acme", "--for", "8h");

        issued.Stdout.Should().StartWith("apiVersion: v1").And.Contain("namespace: demo-" + name);
        issued.Stderr.Should().Contain("limited by the guest's access ends");
        Expiry(issued.Stderr).Should().BeOnOrBefore(ends.AddSeconds(1)).And.BeAfter(ends.AddMinutes(-2));
    }

    /// <summary>
    /// The CLI's half of the contract on its own: the operator's half (guest ServiceAccount, status.guests, the token-issuer
    /// binding) is stood in for by the test as the contract describes it, on a demo no operator handles.
    /// </summary>
    [Fact]
    public async Task The_kubeconfig_verb_requests_the_token_with_the_callers_own_rights_and_kubectl_accepts_the_result()
    {
        var name = UniqueName.For("standin");
        var ns = $"demo-{name}";
        var tenant = Tenants.New(name, s => s.Access = [new Api.V1Alpha1.AccessEntry { Kind = "User", Name = _se, Role = "admin" },
            new Api.V1Alpha1.AccessEntry { Kind = "Guest", Name = "jane", Role = "edit" }]);
        tenant.Metadata.Labels = new Dictionary<string, string> { [OperatorUnderTest.RunLabel] = "no-operator-" + name };
        await Tenants.CreateAsync(Admin, tenant);
        await Admin.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new() { Name = ns } });
        await Admin.CoreV1.CreateNamespacedServiceAccountAsync(new k8s.Models.V1ServiceAccount { Metadata = new() { Name = "guest-1" } }, ns);
        await Admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(Binding("guest-edit", "ClusterRole", "tenant-edit",
            new k8s.Models.Rbacv1Subject { Kind = "ServiceAccount", Name = "guest-1", NamespaceProperty = ns }), ns);
        var issuer = $"{name}-guest-token-issuer";
        await Admin.RbacAuthorizationV1.CreateClusterRoleAsync(new k8s.Models.V1ClusterRole
        {
            Metadata = new() { Name = issuer },
            Rules = [new k8s.Models.V1PolicyRule { ApiGroups = [""], Resources = ["serviceaccounts/token"], Verbs = ["create"], ResourceNames = ["guest-1"] }],
        });
        await Admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(Binding("guest-token-issuer", "ClusterRole", issuer,
            new k8s.Models.Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "User", Name = _se }), ns);
        var ends = DateTimeOffset.UtcNow.AddMinutes(45);
        var status = new { status = new { phase = "Ready", @namespace = ns, guests = new[]
        {
            new { name = "jane", serviceAccount = "guest-1", role = "edit", expiresAt = ends.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), tokenMaxSeconds = 86400 },
        } } };
        await Admin.CustomObjects.PatchClusterCustomObjectStatusAsync(new k8s.Models.V1Patch(System.Text.Json.JsonSerializer.Serialize(status), k8s.Models.V1Patch.PatchType.MergePatch),
            Api.V1Alpha1.DemoTenant.Group, Api.V1Alpha1.DemoTenant.Version, Api.V1Alpha1.DemoTenant.Plural, name);
        try
        {
            var file = Path.Combine(_dir, "standin.kubeconfig");
            var issued = await _cli.OkAsync("kubeconfig", name, "--guest", "jane", "-o", file);

            issued.Stdout.Should().Contain("limited by the guest's access ends");
            Expiry(issued.Stdout).Should().BeOnOrBefore(ends.AddSeconds(1)).And.BeAfter(ends.AddMinutes(-2));
            var token = KubernetesClientConfiguration.LoadKubeConfig(file).Users.Single().UserCredentials.Token;
            (issued.Stdout + issued.Stderr).Should().NotContain(token);
            var get = await Kubectl.RunAsync(file, "get", "pods");
            get.ExitCode.Should().Be(0, get.ToString());
            var elsewhere = await Kubectl.RunAsync(file, "get", "pods", "-n", "default");
            elsewhere.Stderr.Should().Contain($"system:serviceaccount:{ns}:guest-1", "the guest is the ServiceAccount, refused outside its namespace");

            // Someone who is not the demo's admin may not issue it.
            var (other, otherCli) = await SalesEngineer.CreateAsync(fixture.Plane);
            try
            {
                var refused = await otherCli.RunAsync("kubeconfig", name, "--guest", "jane");
                refused.ExitCode.Should().Be(ExitCode.ForbiddenOrNotFound);
                refused.Stdout.Should().BeEmpty();
                refused.Stderr.Trim().Should().Be($"error: you may not issue tokens for guest jane on {name}: only the demo's admins may (an access entry with role admin)");
            }
            finally { await SalesEngineer.DeleteAsync(fixture.Plane, other); }
        }
        finally
        {
            await Admin.RbacAuthorizationV1.DeleteClusterRoleAsync(issuer);
            await Admin.CoreV1.DeleteNamespaceAsync(ns);
            await Tenants.DeleteAsync(Admin, name);
        }
    }

    private static k8s.Models.V1RoleBinding Binding(string name, string kind, string role, k8s.Models.Rbacv1Subject subject) => new()
    {
        Metadata = new() { Name = name },
        RoleRef = new k8s.Models.V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = kind, Name = role },
        Subjects = [subject],
    };

    [Fact]
    public async Task A_guest_that_is_not_in_force_gets_no_kubeconfig_and_a_clear_reason()
    {
        var name = await CreateAsync();

        var r = await _cli.RunAsync("kubeconfig", name, "--guest", "nobody");

        r.ExitCode.Should().Be(ExitCode.ForbiddenOrNotFound);
        r.Stdout.Should().BeEmpty();
        r.Stderr.Trim().Should().Be($"error: guest nobody is not in force on {name} (is it in spec.access? has it expired?)");
    }
}
