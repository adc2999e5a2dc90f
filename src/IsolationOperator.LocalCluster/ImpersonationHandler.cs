using System.Net.Http.Headers;

namespace IsolationOperator.LocalCluster;

/// <summary>
/// Adds Impersonate-User/Impersonate-Group headers. KubernetesClientConfiguration (21.x) has no impersonation
/// setting, so against an existing cluster a per-user client is the admin client plus this handler.
/// </summary>
internal sealed class ImpersonationHandler : DelegatingHandler
{
    private readonly string _user;
    private readonly string[] _groups;

    public ImpersonationHandler(string user, string[] groups)
    {
        _user = user;
        _groups = groups;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        SetHeaders(request.Headers);
        return base.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        SetHeaders(request.Headers);
        return base.Send(request, cancellationToken);
    }

    private void SetHeaders(HttpRequestHeaders headers)
    {
        headers.Remove("Impersonate-User");
        headers.Remove("Impersonate-Group");
        headers.Add("Impersonate-User", _user);
        foreach (var group in _groups)
        {
            headers.Add("Impersonate-Group", group);
        }
    }
}
