using IsolationOperator.Admission;

namespace IsolationOperator.Tests.Unit.Admission;

internal sealed class FakeReviewer(string path, bool mutating, WebhookScope scope, IReadOnlyList<WebhookResource> resources, IReadOnlyList<string> operations,
    Func<AdmissionCall, AdmissionVerdict>? review = null) : IAdmissionReviewer
{
    public string Path => path;
    public bool Mutating => mutating;
    public WebhookScope Scope => scope;
    public IReadOnlyList<WebhookResource> Resources => resources;
    public IReadOnlyList<string> Operations => operations;
    public Task<AdmissionVerdict> ReviewAsync(AdmissionCall call, CancellationToken cancellationToken) =>
        Task.FromResult((review ?? (_ => AdmissionVerdict.Allow))(call));

    public static readonly WebhookResource DemoTenants = new("isolation.demo.dev", "v1alpha1", "demotenants");
}
