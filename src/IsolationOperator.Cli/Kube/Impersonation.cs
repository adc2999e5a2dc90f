using System.Net.Http.Headers;

namespace IsolationOperator.Cli.Kube;

/// <summary>
/// Acting as someone else, as kubectl does for a kubeconfig user's <c>as</c>/<c>as-groups</c> or <c>--as</c>/<c>--as-group</c>:
/// the client library reads these fields but does not send them, so the headers are added here. The API server
/// decides whether the caller may impersonate.
/// </summary>
public sealed record Impersonation(string User, IReadOnlyList<string> Groups)
{
    public DelegatingHandler Handler() => new Headers(this);

    private sealed class Headers(Impersonation who) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Set(request.Headers);
            return base.SendAsync(request, ct);
        }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken ct)
        {
            Set(request.Headers);
            return base.Send(request, ct);
        }

        private void Set(HttpRequestHeaders headers)
        {
            headers.Remove("Impersonate-User");
            headers.Remove("Impersonate-Group");
            headers.Add("Impersonate-User", who.User);
            foreach (var g in who.Groups) headers.Add("Impersonate-Group", g);
        }
    }
}
