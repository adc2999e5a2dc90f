using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

/// <summary>The namespace exists and is not this tenant's (by the UID it records).</summary>
public sealed class NamespaceTakenException(string ns) : Exception($"namespace {ns} belongs to someone else")
{
    public string Namespace { get; } = ns;
}

/// <summary>
/// A tenant's namespace is created with a create call, never a forced apply: of two DemoTenants naming one namespace
/// exactly one create succeeds, and the other sees AlreadyExists and checks whose it is.
/// </summary>
public sealed class TenantNamespaces(IKubernetes client, Informer<V1Namespace> cache, ResourceApplier applier)
{
    /// <summary>The namespace if it is this tenant's, from the cache only (the cache holds every labelled namespace).</summary>
    public V1Namespace? Owned(string name, DemoTenant tenant) =>
        cache.Get(null, name) is { } ns && NamespaceOwnership.IsOwnedBy(ns, tenant) ? ns : null;

    /// <summary>A labelled namespace that is someone else's (another tenant's, or a re-created tenant's predecessor).</summary>
    public bool KnownForeign(string name, DemoTenant tenant) =>
        cache.Get(null, name) is { } ns && !NamespaceOwnership.IsOwnedBy(ns, tenant);

    /// <summary>
    /// Deletes the namespace and keeps it in the cache as it now is (terminating), so "gone" is only ever concluded
    /// from the watch, never from our own request.
    /// </summary>
    public async Task DeleteAsync(V1Namespace ns, CancellationToken ct)
    {
        // Not through the applier, which forgets what it deletes: a namespace lives on while terminating, and a
        // tombstone taken now could hide the terminating version the watch already delivered.
        try
        {
            await OwnedKinds.Namespaces.Delete(client, ns.Metadata.Name, null, ct);
            OperatorMetrics.Writes.WithLabels("Namespace", "delete").Inc();
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e, OwnedKinds.Namespaces.Resource)) { }
        try
        {
            var live = await OwnedKinds.Namespaces.Read(client, ns.Metadata.Name, null, ct);
            cache.Upsert(live);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e, OwnedKinds.Namespaces.Resource)) { cache.Remove(null, ns.Metadata.Name); }
    }

    /// <summary>Creates the namespace, or updates it when it is ours. Throws <see cref="NamespaceTakenException"/> otherwise.</summary>
    public async Task<ApplyOutcome> EnsureAsync(V1Namespace desired, DemoTenant tenant, CancellationToken ct)
    {
        var name = desired.Metadata.Name;
        if (Owned(name, tenant) is not null) return await applier.ApplyAsync(OwnedKinds.Namespaces, cache, desired, ct);
        if (KnownForeign(name, tenant)) throw new NamespaceTakenException(name);
        applier.Stamp(desired.Metadata);
        try
        {
            var created = await client.CoreV1.CreateNamespaceAsync(desired, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
            OperatorMetrics.Writes.WithLabels("Namespace", "create").Inc();
            cache.Upsert(created);
            return new ApplyOutcome(ApplyAction.Created, "Namespace", name, []);
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            // Unlabelled (not in the cache), or labelled a moment ago by a competing create: read and judge.
            var live = await OwnedKinds.Namespaces.Read(client, name, null, ct);
            if (!NamespaceOwnership.IsOwnedBy(live, tenant)) throw new NamespaceTakenException(name);
            cache.Upsert(live);
            return await applier.ApplyAsync(OwnedKinds.Namespaces, cache, desired, ct);
        }
    }
}
