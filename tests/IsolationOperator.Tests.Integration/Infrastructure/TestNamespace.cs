using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>A uniquely named namespace, deleted (without waiting for finalization) on dispose.</summary>
public sealed class TestNamespace : IAsyncDisposable
{
    private readonly IKubernetes _admin;

    private TestNamespace(IKubernetes admin, string name)
    {
        _admin = admin;
        Name = name;
    }

    public string Name { get; }

    public static async Task<TestNamespace> CreateAsync(IKubernetes admin, string prefix)
    {
        var name = UniqueName.For(prefix);
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return new TestNamespace(admin, name);
    }

    public override string ToString() => Name;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _admin.CoreV1.DeleteNamespaceAsync(Name);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // The test deleted it itself.
        }
    }
}
