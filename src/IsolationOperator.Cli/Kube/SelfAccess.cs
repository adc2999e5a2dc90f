using k8s;
using k8s.Models;

namespace IsolationOperator.Cli.Kube;

/// <summary>What the caller may do, asked of the API server (SelfSubjectAccessReview needs no special right).</summary>
public static class SelfAccess
{
    public static async Task<bool> CanAsync(IKubernetes client, string verb, string resource, string group, CancellationToken ct, string? ns = null)
    {
        var review = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes { Verb = verb, Resource = resource, Group = group, NamespaceProperty = ns },
            },
        }, cancellationToken: ct);
        return review.Status?.Allowed == true;
    }

    /// <summary>The verifier asks the API server as the demo's subjects and reads cluster-wide RBAC.</summary>
    public static async Task<bool> MayRunVerifierAsync(IKubernetes client, CancellationToken ct) =>
        await CanAsync(client, "create", "subjectaccessreviews", "authorization.k8s.io", ct)
        && await CanAsync(client, "list", "clusterrolebindings", "rbac.authorization.k8s.io", ct);
}
