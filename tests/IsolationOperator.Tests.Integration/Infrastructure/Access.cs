using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>Asks the API server's own authorizer (SubjectAccessReview), exactly as it decides real requests.</summary>
public static class Access
{
    public static async Task<bool> CanAsync(IKubernetes admin, string? user, string[] groups, string verb, string resource,
        string? ns, string group = "", string? name = null)
    {
        var review = await admin.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user,
                Groups = groups.ToList(),
                ResourceAttributes = new V1ResourceAttributes { Verb = verb, Resource = resource, Group = group, NamespaceProperty = ns, Name = name },
            },
        });
        return review.Status.Allowed;
    }
}
