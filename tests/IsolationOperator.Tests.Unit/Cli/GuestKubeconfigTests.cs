using IsolationOperator.Cli;
using IsolationOperator.Cli.Model;
using k8s;

namespace IsolationOperator.Tests.Unit.Cli;

public sealed class GuestKubeconfigTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_requested_lifetime_holds_when_it_is_the_shortest()
    {
        var r = GuestTokenLifetime.Compute(TimeSpan.FromHours(8), Now.AddDays(2), 86400, Now, "jane");
        r.Lifetime.Should().Be(TimeSpan.FromHours(8));
        r.LimitedBy.Should().Be("--for");
    }

    [Fact]
    public void A_lifetime_longer_than_the_guest_access_is_cut_to_it()
    {
        var r = GuestTokenLifetime.Compute(TimeSpan.FromHours(8), Now.AddHours(3).AddSeconds(0.7), 86400, Now, "jane");
        r.Lifetime.Should().Be(TimeSpan.FromHours(3));
        r.LimitedBy.Should().Contain("access ends");
    }

    [Fact]
    public void A_lifetime_longer_than_the_platform_maximum_is_cut_to_it()
    {
        var r = GuestTokenLifetime.Compute(TimeSpan.FromDays(3), Now.AddDays(30), 86400, Now, "jane");
        r.Lifetime.Should().Be(TimeSpan.FromHours(24));
        r.LimitedBy.Should().Contain("maximum");
    }

    [Fact]
    public void No_token_when_the_guest_access_has_ended_or_when_asked_for_less_than_ten_minutes()
    {
        var ended = () => GuestTokenLifetime.Compute(TimeSpan.FromHours(8), Now.AddMinutes(-1), null, Now, "jane");
        ended.Should().Throw<CliException>().WithMessage("*has ended*");
        var tooShort = () => GuestTokenLifetime.Compute(TimeSpan.FromMinutes(5), Now.AddHours(5), null, Now, "jane");
        tooShort.Should().Throw<CliException>().WithMessage("*10 minutes*");
    }

    [Fact]
    public void A_guest_with_less_than_ten_minutes_left_gets_the_shortest_token_that_ends_with_its_access()
    {
        var r = GuestTokenLifetime.Compute(TimeSpan.FromHours(8), Now.AddMinutes(4), null, Now, "jane");
        r.Lifetime.Should().Be(TimeSpan.FromMinutes(10), "the API server grants no less");
        r.EndsAt.Should().Be(Now.AddMinutes(4), "the guest's ServiceAccount is removed then");
        r.LimitedBy.Should().Contain("access ends").And.Contain("removed then");
    }

    [Fact]
    public void The_guest_kubeconfig_holds_the_cluster_the_namespace_and_only_the_token()
    {
        var yaml = GuestKubeconfig.Build(new GuestKubeconfig.ClusterInfo("https://127.0.0.1:6443", "Q0EgZGF0YQ=="), "acme", "jane", "demo-acme", "tok.en-value");

        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, yaml);
            var file = KubernetesClientConfiguration.LoadKubeConfig(path);
            file.CurrentContext.Should().Be("jane@acme");
            var context = file.Contexts.Single().ContextDetails;
            context.Namespace.Should().Be("demo-acme");
            var cluster = file.Clusters.Single().ClusterEndpoint;
            cluster.Server.Should().Be("https://127.0.0.1:6443");
            cluster.CertificateAuthorityData.Should().Be("Q0EgZGF0YQ==");
            var user = file.Users.Single().UserCredentials;
            user.Token.Should().Be("tok.en-value");
            user.ClientCertificateData.Should().BeNull();
            user.ClientKeyData.Should().BeNull();
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void The_guest_kubeconfig_can_be_JSON()
    {
        var json = GuestKubeconfig.Build(new GuestKubeconfig.ClusterInfo("https://h", "Q0E="), "acme", "jane", "demo-acme", "t", json: true);
        var doc = System.Text.Json.JsonDocument.Parse(json).RootElement;
        doc.GetProperty("current-context").GetString().Should().Be("jane@acme");
        doc.GetProperty("users")[0].GetProperty("user").GetProperty("token").GetString().Should().Be("t");
    }

    [Fact]
    public void A_cluster_reached_without_TLS_verification_stays_so_for_the_guest()
    {
        var yaml = GuestKubeconfig.Build(new GuestKubeconfig.ClusterInfo("https://10.0.0.1", null, InsecureSkipTlsVerify: true), "acme", "jane", "demo-acme", "t");
        yaml.Should().Contain("insecure-skip-tls-verify: true").And.NotContain("certificate-authority-data");
    }
}
