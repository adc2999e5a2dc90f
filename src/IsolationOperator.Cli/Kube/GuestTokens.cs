using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Cli.Model;
using k8s;
using k8s.Models;

namespace IsolationOperator.Cli.Kube;

/// <summary>
/// A guest's token from the TokenRequest API, requested with the caller's own client: RBAC lets a demo's admins
/// create tokens for its guest ServiceAccounts only (ClusterRole tenant-guest-token-issuer). The token is returned
/// to be written into the kubeconfig, and nowhere else.
/// </summary>
public static class GuestTokens
{
    public sealed record Issued(string Token, DateTimeOffset ExpiresAt, string Namespace, GuestStatus Guest, string LimitedBy);

    public static GuestStatus Find(DemoTenant tenant, string guest) =>
        tenant.Status?.Guests?.FirstOrDefault(g => g.Name == guest) is { } g && tenant.Status.Namespace is not null
            ? g
            : throw new CliException($"guest {guest} is not in force on {tenant.Metadata.Name} (is it in spec.access? has it expired?)", ExitCode.ForbiddenOrNotFound);

    public static async Task<Issued> IssueAsync(IKubernetes client, DemoTenant tenant, string guest, TimeSpan requested, DateTimeOffset now, CancellationToken ct)
    {
        var g = Find(tenant, guest);
        var ns = tenant.Status!.Namespace!;
        var lifetime = GuestTokenLifetime.Compute(requested, g.ExpiresAt, g.TokenMaxSeconds, now, guest);
        Authenticationv1TokenRequest response;
        try
        {
            response = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
                new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = (long)lifetime.Lifetime.TotalSeconds, Audiences = [] } },
                g.ServiceAccount, ns, cancellationToken: ct);
        }
        catch (Exception e) when (ApiErrors.IsForbidden(e))
        {
            throw new CliException($"you may not issue tokens for guest {guest} on {tenant.Metadata.Name}: only the demo's admins may (an access entry with role admin)", ExitCode.ForbiddenOrNotFound);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            throw new CliException($"guest {guest}'s ServiceAccount {ns}/{g.ServiceAccount} is gone (access revoked or expired a moment ago?)", ExitCode.ForbiddenOrNotFound);
        }
        var expires = response.Status?.ExpirationTimestamp is { } ts ? new DateTimeOffset(DateTime.SpecifyKind(ts, DateTimeKind.Utc)) : now + lifetime.Lifetime;
        if (lifetime.EndsAt is { } accessEnds && accessEnds < expires) expires = accessEnds;
        return new Issued(response.Status?.Token ?? throw new CliException("the API server returned no token"), expires, ns, g, lifetime.LimitedBy);
    }
}
