using System.Net;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Autorest;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>Who may do what, asked of the API server's own RBAC authorizer.</summary>
public sealed class AccessTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private DemoTenant _acme = null!;
    private DemoTenant _other = null!;
    private string _prospectGroup = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();
    private string Ns => _acme.Spec.Namespace!;
    private string OtherNs => _other.Spec.Namespace!;
    private string WorkloadSa => $"system:serviceaccount:{Ns}:demo-workload";

    public async Task InitializeAsync()
    {
        _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("access"));
        _prospectGroup = UniqueName.For("prospect");
        _acme = _operator.Own(Tenants.New(UniqueName.For("acme"), s =>
        {
            s.WorkloadRole = "edit"; // the strongest workload role must still be unable to weaken isolation
            s.Access = [new AccessEntry { Kind = "Group", Name = _prospectGroup, Role = "edit" }, new AccessEntry { Kind = "User", Name = "se-alice", Role = "admin" }];
            s.Secrets = [new SecretSpec { Name = "demo-db", Keys = [new SecretKeySpec { Name = "password" }] }];
        }));
        _other = _operator.Own(Tenants.New(UniqueName.For("other"), s =>
            s.Secrets = [new SecretSpec { Name = "demo-db", Keys = [new SecretKeySpec { Name = "password" }] }]));
        await Tenants.CreateAsync(Admin, _acme);
        await Tenants.CreateAsync(Admin, _other);
        await Tenants.WaitForPhaseAsync(Admin, _acme.Metadata.Name, Phases.Ready);
        await Tenants.WaitForPhaseAsync(Admin, _other.Metadata.Name, Phases.Ready);
    }

    public async Task DisposeAsync() => await _operator.DisposeAsync();

    private Task<bool> Prospect(string verb, string resource, string? ns, string group = "", string? name = null) =>
        Access.CanAsync(Admin, "someone-at-acme", [_prospectGroup, "system:authenticated"], verb, resource, ns, group, name);

    [Fact]
    public async Task Prospect_group_can_create_deployments_and_read_pods_in_its_namespace()
    {
        (await Prospect("create", "deployments", Ns, "apps")).Should().BeTrue();
        (await Prospect("get", "pods", Ns)).Should().BeTrue();
        (await Prospect("list", "pods", Ns)).Should().BeTrue();
        (await Prospect("create", "services", Ns)).Should().BeTrue();
    }

    [Fact]
    public async Task Prospect_group_cannot_weaken_isolation_or_reach_other_tenants()
    {
        (await Prospect("delete", "networkpolicies", Ns, "networking.k8s.io", "default-deny")).Should().BeFalse();
        (await Prospect("update", "networkpolicies", Ns, "networking.k8s.io", "default-deny")).Should().BeFalse();
        (await Prospect("create", "networkpolicies", Ns, "networking.k8s.io")).Should().BeFalse();
        (await Prospect("update", "resourcequotas", Ns, name: "tenant-quota")).Should().BeFalse();
        (await Prospect("delete", "limitranges", Ns, name: "tenant-limits")).Should().BeFalse();
        (await Prospect("create", "rolebindings", Ns, "rbac.authorization.k8s.io")).Should().BeFalse();
        (await Prospect("update", "roles", Ns, "rbac.authorization.k8s.io", "tenant-edit")).Should().BeFalse();
        (await Prospect("delete", "namespaces", null, name: Ns)).Should().BeFalse();
        (await Prospect("list", "namespaces", null)).Should().BeFalse();
        (await Prospect("delete", "secrets", Ns, name: "demo-db")).Should().BeFalse();
        (await Prospect("get", "secrets", OtherNs, name: "demo-db")).Should().BeFalse();
        (await Prospect("get", "pods", OtherNs)).Should().BeFalse();
    }

    [Fact]
    public async Task Prospect_group_cannot_delete_the_network_policy()
    {
        // A real request, not only a review: the API server refuses it.
        var prospect = fixture.Plane.ClientFor("someone-at-acme", _prospectGroup);
        var act = () => prospect.NetworkingV1.DeleteNamespacedNetworkPolicyAsync("default-deny", Ns);
        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Admin.NetworkingV1.ReadNamespacedNetworkPolicyAsync("default-deny", Ns)).Should().NotBeNull();
    }

    [Fact]
    public async Task Tenant_admin_and_service_account_cannot_weaken_isolation_either()
    {
        foreach (var (user, groups) in new[] { ("se-alice", new[] { "system:authenticated" }), (WorkloadSa, new[] { "system:serviceaccounts", $"system:serviceaccounts:{Ns}", "system:authenticated" }) })
        {
            (await Access.CanAsync(Admin, user, groups, "create", "deployments", Ns, "apps")).Should().BeTrue(user);
            (await Access.CanAsync(Admin, user, groups, "delete", "networkpolicies", Ns, "networking.k8s.io", "default-deny")).Should().BeFalse(user);
            (await Access.CanAsync(Admin, user, groups, "patch", "resourcequotas", Ns, name: "tenant-quota")).Should().BeFalse(user);
            (await Access.CanAsync(Admin, user, groups, "create", "rolebindings", Ns, "rbac.authorization.k8s.io")).Should().BeFalse(user);
            (await Access.CanAsync(Admin, user, groups, "escalate", "roles", Ns, "rbac.authorization.k8s.io")).Should().BeFalse(user);
            (await Access.CanAsync(Admin, user, groups, "bind", "roles", Ns, "rbac.authorization.k8s.io")).Should().BeFalse(user);
            (await Access.CanAsync(Admin, user, groups, "delete", "namespaces", null, name: Ns)).Should().BeFalse(user);
            (await Access.CanAsync(Admin, user, groups, "get", "secrets", OtherNs, name: "demo-db")).Should().BeFalse(user);
        }
    }

    [Fact]
    public async Task An_unlisted_user_can_do_nothing_in_the_namespace()
    {
        foreach (var (verb, resource, group) in new[] { ("get", "pods", ""), ("list", "secrets", ""), ("create", "deployments", "apps"), ("get", "networkpolicies", "networking.k8s.io") })
            (await Access.CanAsync(Admin, "mallory", ["system:authenticated"], verb, resource, Ns, group)).Should().BeFalse($"{verb} {resource}");
    }
}
