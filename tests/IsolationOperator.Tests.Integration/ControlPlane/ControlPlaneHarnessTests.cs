using System.Net;
using System.Text.Json;
using IsolationOperator.LocalCluster;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

// Not "...Integration.ControlPlane": that namespace would shadow the ControlPlane type in every test namespace.
namespace IsolationOperator.Tests.Integration.ControlPlaneTests;

/// <summary>
/// Proves the shared plane is a real Kubernetes: validation, RBAC, finalizers, watches, controllers and
/// auditing all behave as in a cluster. Each test would fail against an in-memory fake.
/// </summary>
public sealed class ControlPlaneHarnessTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private ControlPlane Plane => fixture.Plane;

    [Fact]
    public async Task Api_server_rejects_an_invalid_network_policy_with_422()
    {
        using var admin = Plane.AdminClient();
        await using var ns = await TestNamespace.CreateAsync(admin, "netpol");

        var valid = NetworkPolicy("valid", cidr: "10.1.0.0/16");
        var created = await admin.NetworkingV1.CreateNamespacedNetworkPolicyAsync(valid, ns.Name);
        created.Metadata.Uid.Should().NotBeNullOrEmpty("a valid policy is stored");

        var invalid = NetworkPolicy("invalid", cidr: "not-a-cidr");
        var act = () => admin.NetworkingV1.CreateNamespacedNetworkPolicyAsync(invalid, ns.Name);

        var error = (await act.Should().ThrowAsync<HttpOperationException>()).Which;
        error.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        error.Response.Content.Should().Contain("spec.ingress[0].from[0].ipBlock.cidr");
    }

    [Fact]
    public async Task Unprivileged_user_is_denied_while_admin_is_allowed()
    {
        using var admin = Plane.AdminClient();
        await using var ns = await TestNamespace.CreateAsync(admin, "rbac");
        var nobody = UniqueName.For("nobody");

        (await CanAsync(admin, nobody, [], "list", "secrets", ns.Name)).Should().BeFalse();
        (await CanAsync(admin, "someone-admin", ["system:masters"], "list", "secrets", ns.Name)).Should().BeTrue();

        using var asNobody = Plane.ClientFor(nobody);
        var denied = () => asNobody.CoreV1.ListNamespacedSecretAsync(ns.Name);
        var error = (await denied.Should().ThrowAsync<HttpOperationException>()).Which;
        error.Response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        error.Response.Content.Should().Contain($"User \\\"{nobody}\\\" cannot list resource \\\"secrets\\\"");
        (await admin.CoreV1.ListNamespacedSecretAsync(ns.Name)).Items.Should().NotBeNull();

        // Not a deny-all: a RoleBinding really grants access.
        await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(
            new V1Role
            {
                Metadata = new V1ObjectMeta { Name = "read-secrets" },
                Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["secrets"], Verbs = ["list"] }],
            },
            ns.Name);
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = "read-secrets" },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "read-secrets" },
                Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "User", Name = nobody }],
            },
            ns.Name);
        await Eventually.HoldsAsync("the RoleBinding to take effect", async () =>
        {
            await asNobody.CoreV1.ListNamespacedSecretAsync(ns.Name);
            return true;
        });
    }

    [Fact]
    public async Task Deleted_namespace_is_really_gone()
    {
        using var admin = Plane.AdminClient();
        var name = UniqueName.For("doomed");
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        await admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "content" } }, name);

        await admin.CoreV1.DeleteNamespaceAsync(name);

        // The apiserver only marks it; the "kubernetes" finalizer is removed by KCM's namespace controller
        // once the content is deleted.
        var terminating = await admin.CoreV1.ReadNamespaceAsync(name);
        terminating.Status.Phase.Should().Be("Terminating");
        terminating.Spec.Finalizers.Should().Contain("kubernetes");

        await Eventually.HoldsAsync($"namespace {name} to disappear", async () =>
        {
            try
            {
                await admin.CoreV1.ReadNamespaceAsync(name);
                return false;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
        }, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Watch_started_at_a_resource_version_receives_a_later_object()
    {
        using var admin = Plane.AdminClient();
        await using var ns = await TestNamespace.CreateAsync(admin, "watch");
        await admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "before" } }, ns.Name);
        var list = await admin.CoreV1.ListNamespacedConfigMapAsync(ns.Name);
        var resourceVersion = list.Metadata.ResourceVersion;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<(WatchEventType Type, string Name)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, cm) in admin.CoreV1.WatchListNamespacedConfigMapAsync(
                               ns.Name, resourceVersion: resourceVersion, timeoutSeconds: 30, cancellationToken: timeout.Token))
            {
                seen.Add((type, cm.Metadata.Name));
                if (cm.Metadata.Name == "after")
                {
                    return;
                }
            }
        });

        await admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "after" } }, ns.Name);
        await watching;

        seen.Should().ContainSingle(e => e.Name == "after" && e.Type == WatchEventType.Added);
        seen.Should().NotContain(e => e.Name == "before", "events up to the listed resourceVersion are not replayed");
    }

    [LocalPlaneFact] // Kubernetes >= 1.24 no longer creates token secrets.
    public async Task Service_account_token_secret_appears()
    {
        using var admin = Plane.AdminClient();
        await using var ns = await TestNamespace.CreateAsync(admin, "sa");
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "robot" } }, ns.Name);

        var secret = await Eventually.GetAsync("a token secret for robot", async () =>
            (await admin.CoreV1.ListNamespacedSecretAsync(ns.Name)).Items.FirstOrDefault(s =>
                s.Type == "kubernetes.io/service-account-token"
                && s.Metadata.Annotations?.TryGetValue("kubernetes.io/service-account.name", out var owner) == true && owner == "robot"
                && s.Data?.ContainsKey("token") == true),
            TimeSpan.FromSeconds(60)); // generous: other test classes may keep KCM busy with hundreds of namespaces

        // The token is signed with the plane's SA key and accepted by the apiserver as that service account.
        var config = new KubernetesClientConfiguration
        {
            Host = Plane.ServerUrl,
            SslCaCerts = Plane.AdminConfig().SslCaCerts,
            AccessToken = System.Text.Encoding.UTF8.GetString(secret.Data["token"]),
        };
        using var asRobot = new Kubernetes(config);
        var act = () => asRobot.CoreV1.ListNamespacedPodAsync(ns.Name);
        var error = (await act.Should().ThrowAsync<HttpOperationException>()).Which;
        error.Response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        error.Response.Content.Should().Contain($"system:serviceaccount:{ns.Name}:robot");
    }

    [Fact]
    public async Task Resource_quota_status_is_computed()
    {
        using var admin = Plane.AdminClient();
        await using var ns = await TestNamespace.CreateAsync(admin, "quota");
        // The service exists before the quota, so no admission plugin counted it: used=1 can only come from
        // KCM's resourcequota controller counting what is there.
        await admin.CoreV1.CreateNamespacedServiceAsync(Service("one"), ns.Name);
        await admin.CoreV1.CreateNamespacedResourceQuotaAsync(
            new V1ResourceQuota
            {
                Metadata = new V1ObjectMeta { Name = "services" },
                Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["services"] = new("2") } },
            },
            ns.Name);

        await Eventually.HoldsAsync("quota status used.services == 1", async () =>
        {
            var quota = await admin.CoreV1.ReadNamespacedResourceQuotaAsync("services", ns.Name);
            return Quantity(quota.Status?.Used, "services") == "1" && Quantity(quota.Status?.Hard, "services") == "2";
        });

        // And the apiserver's quota admission enforces it on top of the computed status.
        await admin.CoreV1.CreateNamespacedServiceAsync(Service("two"), ns.Name);
        var third = () => admin.CoreV1.CreateNamespacedServiceAsync(Service("three"), ns.Name);
        var error = (await third.Should().ThrowAsync<HttpOperationException>()).Which;
        error.Response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        error.Response.Content.Should().Contain("exceeded quota");
    }

    [LocalPlaneFact] // An existing cluster's audit log is not ours to read.
    public async Task Audit_log_records_requests_by_user()
    {
        var auditor = UniqueName.For("auditor");
        using var client = Plane.ClientFor(auditor, "auditors");
        var act = () => client.CoreV1.ListNamespacedConfigMapAsync("default");
        await act.Should().ThrowAsync<HttpOperationException>();

        var line = await Eventually.GetAsync($"an audit event by {auditor}", () => Task.FromResult(FindAuditLine(auditor, "list")),
            TimeSpan.FromSeconds(10));
        var entry = JsonDocument.Parse(line).RootElement;

        entry.GetProperty("objectRef").GetProperty("resource").GetString().Should().Be("configmaps");
        entry.GetProperty("objectRef").GetProperty("namespace").GetString().Should().Be("default");
        entry.GetProperty("responseStatus").GetProperty("code").GetInt32().Should().Be(403);
        entry.GetProperty("user").GetProperty("groups").EnumerateArray().Select(g => g.GetString()).Should().Contain("auditors");
        entry.GetProperty("stage").GetString().Should().Be("ResponseComplete");
    }

    [Fact]
    public async Task Kubectl_acts_as_the_user_of_a_written_kubeconfig()
    {
        var nobody = UniqueName.For("kubectl-nobody");
        var userKubeconfig = Plane.WriteKubeconfigFor(nobody);

        var adminCan = await Kubectl.RunAsync(Plane.KubeconfigPath, "auth", "can-i", "create", "namespaces");
        adminCan.Stdout.Trim().Should().Be("yes", adminCan.ToString());

        var userCan = await Kubectl.RunAsync(userKubeconfig, "auth", "can-i", "create", "namespaces");
        userCan.Stdout.Trim().Should().Be("no", userCan.ToString());

        var get = await Kubectl.RunAsync(userKubeconfig, "get", "secrets", "-n", "default");
        get.ExitCode.Should().NotBe(0);
        get.Stderr.Should().Contain("Forbidden").And.Contain(nobody);
    }

    private static async Task<bool> CanAsync(IKubernetes admin, string user, string[] groups, string verb, string resource, string ns)
    {
        var review = await admin.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user,
                Groups = groups,
                ResourceAttributes = new V1ResourceAttributes { Verb = verb, Resource = resource, NamespaceProperty = ns },
            },
        });
        return review.Status.Allowed;
    }

    private static string? Quantity(IDictionary<string, ResourceQuantity>? quantities, string key) =>
        quantities is not null && quantities.TryGetValue(key, out var value) ? value.ToString() : null;

    private static V1NetworkPolicy NetworkPolicy(string name, string cidr) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector(),
            PolicyTypes = ["Ingress"],
            Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = cidr } }] }],
        },
    };

    private static V1Service Service(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] },
    };

    private string? FindAuditLine(string user, string verb)
    {
        // The apiserver keeps the file open for appending; share it.
        using var stream = new FileStream(Plane.AuditLogPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (!line.Contains(user, StringComparison.Ordinal))
            {
                continue;
            }

            var root = JsonDocument.Parse(line).RootElement;
            if (root.GetProperty("user").GetProperty("username").GetString() == user && root.GetProperty("verb").GetString() == verb)
            {
                return line;
            }
        }

        return null;
    }
}
