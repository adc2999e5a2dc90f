using System.Net;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>Access ends when it should, whatever else fails, and never reaches subjects that mean "everyone".</summary>
public sealed class RevocationTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync() => _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("revoke"));
    public async Task DisposeAsync() => await _operator.DisposeAsync();

    private static AccessEntry Group(string name, string role = "edit") => new() { Kind = "Group", Name = name, Role = role };

    [Fact]
    public async Task A_filled_secrets_quota_does_not_stop_an_access_removal_made_in_the_same_edit()
    {
        var keep = UniqueName.For("keep");
        var drop = UniqueName.For("drop");
        var tenant = _operator.Own(Tenants.New(UniqueName.For("full"), s =>
        {
            // The removed person views: removing an editor also replaces the workload ServiceAccount (its tokens could
            // have been taken), and the deleted token Secret would free a quota slot for the new secret, at random.
            s.Access = [Group(keep), Group(drop, "view")];
            s.Quota = new Dictionary<string, IntOrString> { ["secrets"] = "8" };
        }));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var ns = tenant.Spec.Namespace!;

        // The prospect fills the secrets quota.
        for (var i = 0; i < 20; i++)
        {
            try { await Admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = $"filler-{i}" } }, ns); }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden) { break; }
        }

        // One edit: a new generated secret (refused by the quota) and one person removed.
        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new
        {
            access = new[] { Group(keep) },
            secrets = new[] { new SecretSpec { Name = "late", Keys = [new SecretKeySpec { Name = "password" }] } },
        });
        await Eventually.HoldsAsync("removed person lost access", async () => !await Access.CanAsync(Admin, "d", [drop], "get", "pods", ns));
        (await Access.CanAsync(Admin, "k", [keep], "get", "pods", ns)).Should().BeTrue();
        var rejected = await Eventually.GetAsync("ApplyRejected", async () =>
            await Tenants.GetAsync(Admin, tenant.Metadata.Name) is { } t && Tenants.Condition(t, ConditionTypes.Ready) is { Reason: "ApplyRejected" } ? t : null);
        Tenants.Condition(rejected, ConditionTypes.Ready)!.Message.Should().Contain("exceeded quota");
    }

    [Theory]
    [InlineData("User", "system:anonymous")]
    [InlineData("Group", "system:serviceaccounts")]
    [InlineData("Group", "system:serviceaccounts:kube-system")]
    [InlineData("Group", "system:nodes")]
    public async Task Subjects_that_mean_everyone_are_refused_with_a_message_and_nothing_is_created(string kind, string name)
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("all"), s => s.Access = [new AccessEntry { Kind = kind, Name = name, Role = "view" }]));
        await Tenants.CreateAsync(Admin, tenant);
        var failed = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Failed);
        Tenants.Condition(failed, ConditionTypes.Ready)!.Message.Should().Contain(name).And.Contain("Nothing was created");
        (await Admin.CoreV1.ListNamespaceAsync(fieldSelector: $"metadata.name={tenant.Spec.Namespace}")).Items.Should().BeEmpty();
    }

    [LocalPlaneFact]
    public async Task A_revoked_edit_users_token_for_the_workload_service_account_stops_working()
    {
        var alice = UniqueName.For("alice");
        var tenant = _operator.Own(Tenants.New(UniqueName.For("tok"), s =>
        {
            s.WorkloadRole = "edit";
            s.Access = [new AccessEntry { Kind = "User", Name = alice, Role = "edit" }];
        }));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var ns = tenant.Spec.Namespace!;

        // Alice (edit) mints herself a token for demo-workload: a token Secret the token controller fills.
        var asAlice = fixture.Plane.ClientFor(alice);
        await asAlice.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "mine", Annotations = new Dictionary<string, string> { ["kubernetes.io/service-account.name"] = "demo-workload" } },
            Type = "kubernetes.io/service-account-token",
        }, ns);
        var token = await Eventually.GetAsync("token issued", async () =>
            (await asAlice.CoreV1.ReadNamespacedSecretAsync("mine", ns)).Data?.TryGetValue("token", out var t) == true ? System.Text.Encoding.UTF8.GetString(t) : null);
        var admin = fixture.Plane.AdminConfig();
        var asWorkload = new Kubernetes(new KubernetesClientConfiguration { Host = admin.Host, SslCaCerts = admin.SslCaCerts, AccessToken = token });
        (await asWorkload.AppsV1.ListNamespacedDeploymentAsync(ns)).Items.Should().NotBeNull("the token works while alice has access");

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { access = Array.Empty<AccessEntry>() });
        await Eventually.HoldsAsync("the workload token is dead", async () =>
        {
            try { await asWorkload.AppsV1.ListNamespacedDeploymentAsync(ns); return false; }
            catch (HttpOperationException e) { return e.Response.StatusCode == HttpStatusCode.Unauthorized; }
        });
        (await Admin.CoreV1.ReadNamespacedServiceAccountAsync("demo-workload", ns)).Should().NotBeNull("the account is recreated for the workloads");
    }
}
