using k8s;
using k8s.Models;

namespace IsolationOperator.Engine;

/// <summary>
/// The typed KubernetesClient calls for one kind, gathered so that the informer, the applier and the pruner can
/// treat every kind the same way. KubernetesClient has no generic list/watch with resourceVersion and selectors.
/// </summary>
public sealed class OwnedKind<T> : IOwnedKind where T : class, IKubernetesObject<V1ObjectMeta>
{
    public required string ApiVersion { get; init; }
    public required string Kind { get; init; }
    /// <summary>The resource's plural name, as the API server names it in a NotFound Status.</summary>
    public required string Resource { get; init; }
    public bool Namespaced { get; init; } = true;
    /// <summary>One page of a list: (client, labelSelector, limit, continue token).</summary>
    public required Func<IKubernetes, string?, int, string?, CancellationToken, Task<ListPage<T>>> List { get; init; }
    /// <summary>A watch; a null object is an event that could not be decoded.</summary>
    public required Func<IKubernetes, string?, string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T?)>> Watch { get; init; }
    public required Func<IKubernetes, V1Patch, string, string?, CancellationToken, Task<T>> Patch { get; init; }
    public required Func<IKubernetes, T, CancellationToken, Task<T>> Replace { get; init; }
    public required Func<IKubernetes, string, string?, CancellationToken, Task> Delete { get; init; }
    public required Func<IKubernetes, string, string?, CancellationToken, Task<T>> Read { get; init; }

    Type IOwnedKind.ClrType => typeof(T);
}

/// <summary>A page of a list, with the names of items that could not be decoded (skipped, reported).</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue, IReadOnlyList<string> Undecodable);

public interface IOwnedKind
{
    string ApiVersion { get; }
    string Kind { get; }
    bool Namespaced { get; }
    Type ClrType { get; }
}
