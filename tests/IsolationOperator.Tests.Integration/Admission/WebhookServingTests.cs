using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using IsolationOperator.Admission;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Autorest;
using Xunit.Abstractions;

namespace IsolationOperator.Tests.Integration.Admission;

/// <summary>The webhook's certificate (created, kept, renewed) and what happens when no operator answers.</summary>
public sealed class WebhookServingTests(ControlPlaneFixture fixture, ITestOutputHelper output) : IClassFixture<ControlPlaneFixture>
{
    private IKubernetes Admin => fixture.Plane.AdminClient();

    private async Task<CertificateBundle> StoredAsync(WebhookSetup setup) =>
        CertificateBundle.FromSecretData((await Admin.CoreV1.ReadNamespacedSecretAsync(setup.SecretName, WebhookSetup.Namespace)).Data)!;

    /// <summary>The certificate the webhook port presents right now (a fresh TLS handshake).</summary>
    private static async Task<X509Certificate2> PresentedAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("127.0.0.1");
        return new X509Certificate2(tls.RemoteCertificate!);
    }

    /// <summary>A server-side dry run: the webhooks are called (sideEffects None), nothing is stored.</summary>
    private static async Task DryRunCreateAsync(IKubernetes client, DemoTenant tenant)
    {
        try { await client.CustomObjects.CreateClusterCustomObjectAsync(tenant, DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, dryRun: "All"); }
        catch (HttpOperationException e) { throw new InvalidOperationException(e.Response.Content, e); }
    }

    [Fact]
    public async Task Certificate_is_created_on_first_start_and_the_same_CA_serves_after_a_restart()
    {
        var setup = WebhookSetup.Unique();
        var runId = UniqueName.For("cert");
        try
        {
            await using (var first = await setup.StartAsync(fixture.Plane, runId))
            {
                var stored = await StoredAsync(setup);
                using var presented = await PresentedAsync(setup.Port);
                presented.Thumbprint.Should().Be(stored.ServingCertificate().Thumbprint);
                await DryRunCreateAsync(Admin, first.Own(Tenants.New(UniqueName.For("ok"))));
            }
            var before = await StoredAsync(setup);

            await using var second = await setup.StartAsync(fixture.Plane, runId);
            var after = await StoredAsync(setup);
            after.CaCertPem.Should().Be(before.CaCertPem, "a restart reuses the CA (the caBundle stays valid)");
            after.ServingCertPem.Should().Be(before.ServingCertPem, "and the serving certificate, which is far from expiry");
            await DryRunCreateAsync(Admin, second.Own(Tenants.New(UniqueName.For("ok"))));
        }
        finally { await setup.CleanupAsync(Admin); }
    }

    [Fact]
    public async Task Two_replicas_starting_at_once_converge_on_one_certificate()
    {
        var a = WebhookSetup.Unique();
        var b = a with { Port = OperatorProcess.FreePort(), ConfigurationName = UniqueName.For("webhook-test") };
        try
        {
            var starting = new[] { a.StartAsync(fixture.Plane, UniqueName.For("twin")), b.StartAsync(fixture.Plane, UniqueName.For("twin")) };
            var operators = await Task.WhenAll(starting);
            try
            {
                var stored = await StoredAsync(a);
                using var fromA = await PresentedAsync(a.Port);
                using var fromB = await PresentedAsync(b.Port);
                fromA.Thumbprint.Should().Be(stored.ServingCertificate().Thumbprint);
                fromB.Thumbprint.Should().Be(fromA.Thumbprint, "both replicas present the certificate in the one Secret");
            }
            finally { foreach (var o in operators) await o.DisposeAsync(); }
        }
        finally
        {
            await a.CleanupAsync(Admin);
            await b.CleanupAsync(Admin);
        }
    }

    [Fact]
    public async Task Serving_certificate_rotates_before_expiry_without_a_failed_admission()
    {
        var setup = WebhookSetup.Unique();
        // 24 s lifetime: renewed after 16 s (a third left), looked at every 2 s.
        await using var op = await setup.StartAsync(fixture.Plane, UniqueName.For("rotate"), w =>
        {
            w.ServingCertificateLifetime = TimeSpan.FromSeconds(24);
            w.CheckPeriod = TimeSpan.FromSeconds(2);
        });
        try
        {
            var ca = (await StoredAsync(setup)).CaCertPem;
            var seen = new HashSet<string>();
            var latencies = new List<double>();
            var failures = new List<string>();
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(55);
            while (DateTime.UtcNow < until)
            {
                // New connections (the API server's may be reused; ours see every certificate the port presents).
                using (var presented = await PresentedAsync(setup.Port)) seen.Add(presented.Thumbprint);
                var sw = Stopwatch.StartNew();
                try { await DryRunCreateAsync(Admin, op.Own(Tenants.New(UniqueName.For("rot")))); }
                catch (InvalidOperationException e) { failures.Add(e.Message); }
                latencies.Add(sw.Elapsed.TotalMilliseconds);
                await Task.Delay(250);
            }
            latencies.Sort();
            output.WriteLine($"{latencies.Count} admissions, {seen.Count} serving certificates; dry-run create p50 {latencies[latencies.Count / 2]:0} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:0} ms, max {latencies[^1]:0} ms");
            failures.Should().BeEmpty("no admission fails while the certificate is renewed");
            seen.Count.Should().BeGreaterThanOrEqualTo(3, "a 24 s certificate is renewed about every 16 s over 55 s");
            (await StoredAsync(setup)).CaCertPem.Should().Be(ca, "renewing the serving certificate keeps the CA, so caBundle never changes");
        }
        finally { await setup.CleanupAsync(Admin); }
    }

    [Fact]
    public async Task With_the_operator_stopped_its_tenants_are_refused_and_others_are_not()
    {
        var setup = WebhookSetup.Unique();
        var op = await setup.StartAsync(fixture.Plane, UniqueName.For("closed"));
        try
        {
            await op.DisposeAsync();

            var mine = op.Own(Tenants.New(UniqueName.For("mine")));
            var refused = async () => await Tenants.CreateAsync(Admin, mine);
            (await refused.Should().ThrowAsync<HttpOperationException>()).Which.Response.Content
                .Should().Contain("failed calling webhook").And.Contain(WebhookRegistration.NameSuffix);
            (await Tenants.GetAsync(Admin, mine.Metadata.Name)).Should().BeNull("fail closed: nothing is stored");

            var other = Tenants.New(UniqueName.For("other"));
            other.Metadata.Labels = new Dictionary<string, string> { [OperatorUnderTest.RunLabel] = UniqueName.For("someone-else") };
            await Tenants.CreateAsync(Admin, other);
            await Tenants.DeleteAsync(Admin, other.Metadata.Name);
            var ns = UniqueName.For("unmanaged");
            await Admin.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new() { Name = ns } });
            await Admin.CoreV1.CreateNamespacedConfigMapAsync(new k8s.Models.V1ConfigMap { Metadata = new() { Name = "c" } }, ns);
            await Admin.CoreV1.DeleteNamespaceAsync(ns);
        }
        finally { await setup.CleanupAsync(Admin); }
    }
}
