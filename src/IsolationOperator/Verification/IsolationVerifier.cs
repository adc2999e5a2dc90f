using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using k8s;
using k8s.Models;

namespace IsolationOperator.Verification;

/// <summary>One verification: the checks asked, those whose answer broke isolation, the paths found.</summary>
public sealed record VerificationResult(DateTimeOffset Time, IReadOnlyList<AccessCheck> Checks, IReadOnlyList<AccessCheck> Failed,
    IReadOnlyList<IsolationPath> Paths, string Reachability, string NodeSharing)
{
    public bool Passed => Failed.Count == 0 && Paths.Count == 0;

    public IReadOnlyList<string> FailedText => Failed.Select(f => f.Describe()).ToList();
}

/// <summary>
/// Asks the API server, never the operator's memory: SubjectAccessReviews as each subject of the demo (not stored by
/// the API server), and lists of ClusterRoleBindings, RoleBindings and NetworkPolicies for the paths. The lists are
/// shared by every tenant verified within <see cref="SnapshotLife"/>, so a cycle over many tenants lists once.
/// </summary>
public sealed class IsolationVerifier(IKubernetes client, TimeProvider time)
{
    public static readonly TimeSpan SnapshotLife = TimeSpan.FromSeconds(30);
    private const int Parallel = 8;
    private readonly SemaphoreSlim _snapshotGate = new(1, 1);
    private Snapshot? _snapshot;

    private sealed record Snapshot(DateTimeOffset At, IReadOnlyList<V1ClusterRoleBinding> ClusterBindings, IReadOnlyList<V1RoleBinding> Bindings,
        IReadOnlyList<V1NetworkPolicy> Policies, IReadOnlyList<V1ClusterRole> TenantRoles);

    /// <param name="otherDemoNamespaces">The other demos' namespaces (a sample of them is probed).</param>
    /// <param name="listedAfter">The lists must be newer than this (the demo's previous verification), so a recheck
    /// never answers from the lists its previous result came from: a path removed since shows as gone.</param>
    public async Task<VerificationResult> VerifyAsync(string tenant, TenantPlan plan, IReadOnlyDictionary<string, string>? namespaceLabels,
        IEnumerable<string> otherDemoNamespaces, CancellationToken ct, DateTimeOffset? listedAfter = null, DemoGrants? grants = null)
    {
        var checks = IsolationChecks.For(plan, IsolationChecks.Sample(otherDemoNamespaces, plan.Namespace), grants);
        var answers = new bool[checks.Count];
        using (var gate = new SemaphoreSlim(Parallel))
        {
            await Task.WhenAll(checks.Select(async (c, i) =>
            {
                await gate.WaitAsync(ct);
                try { answers[i] = await AllowedAsync(c, ct); }
                finally { gate.Release(); }
            }));
        }
        var failed = checks.Where((c, i) => answers[i] != c.Expected).ToList();
        var snapshot = await SnapshotAsync(listedAfter, ct);
        var paths = IsolationPaths.Find(tenant, plan, namespaceLabels, snapshot.ClusterBindings, snapshot.Bindings, snapshot.Policies, grants,
                DemoTenantOnlyRoles.Harmless(snapshot.TenantRoles))
            .Concat(TenantRoleDrift.Find(snapshot.TenantRoles, plan.Suspended ? [] : BoundRoles(plan)))
            .ToList();
        var reach = Reachability.Summary(snapshot.Policies.Where(p => p.Metadata.NamespaceProperty == plan.Namespace));
        var nodes = plan.NodeSelector.Count > 0
            ? $"Pods are pinned to nodes labelled {string.Join(",", plan.NodeSelector.Select(kv => $"{kv.Key}={kv.Value}"))} (spec.isolation.nodes); whether other tenants use those nodes is not checked."
            : "Known limit: pods may share nodes with other tenants (no spec.isolation.nodes).";
        return new VerificationResult(time.GetUtcNow(), checks, failed, paths, reach, nodes);
    }

    private async Task<bool> AllowedAsync(AccessCheck c, CancellationToken ct)
    {
        var review = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = c.Subject.User,
                Groups = c.Subject.Groups.ToList(),
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = c.Verb, Group = c.Group, Resource = c.Resource, Subresource = c.Subresource, NamespaceProperty = c.Namespace, Name = c.Name,
                },
            },
        }, cancellationToken: ct);
        return review.Status?.Allowed == true;
    }

    private async Task<Snapshot> SnapshotAsync(DateTimeOffset? listedAfter, CancellationToken ct)
    {
        await _snapshotGate.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow();
            if (_snapshot is { } s && now - s.At < SnapshotLife && (listedAfter is null || s.At > listedAfter)) return s;
            var crbs = await client.RbacAuthorizationV1.ListClusterRoleBindingAsync(cancellationToken: ct);
            var rbs = await client.RbacAuthorizationV1.ListRoleBindingForAllNamespacesAsync(cancellationToken: ct);
            var nps = await client.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync(cancellationToken: ct);
            var roles = new List<V1ClusterRole>();
            foreach (var name in TenantRoleDrift.Names.Concat(DemoTenantOnlyRoles.Names))
                if (await ReadClusterRoleAsync(name, ct) is { } role) roles.Add(role);
            return _snapshot = new Snapshot(now, crbs.Items.ToList(), rbs.Items.ToList(), nps.Items.ToList(), roles);
        }
        finally
        {
            _snapshotGate.Release();
        }
    }

    /// <summary>
    /// One ClusterRole by name (the operator may get only the chart's tenant and people roles); absent when it does not
    /// exist or may not be read (an older chart): then it is judged as unknown, which for the people roles means a path.
    /// </summary>
    private async Task<V1ClusterRole?> ReadClusterRoleAsync(string name, CancellationToken ct)
    {
        try { return await client.RbacAuthorizationV1.ReadClusterRoleAsync(name, cancellationToken: ct); }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Forbidden) { return null; }
    }

    /// <summary>The ClusterRoles this demo's bindings reference (see <see cref="RbacBuilder.BuildBindings"/>).</summary>
    private static IEnumerable<string> BoundRoles(TenantPlan plan) => RbacBuilder.BuildBindings(plan).Select(b => b.RoleRef.Name).Distinct();
}
