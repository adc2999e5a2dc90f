using IsolationOperator.Api.V1Alpha1;
using k8s;

namespace IsolationOperator.Tests.Unit.Api;

public class LenientDateTimeTests
{
    [Theory]
    [InlineData("2030-01-31T18:00:00Z")]
    [InlineData("2030-01-31t18:00:00z")]
    [InlineData("2030-01-31T20:00:00+02:00")]
    [InlineData("2030-01-31T18:00:00.000000Z")]
    public void Date_times_the_api_server_admits_are_read(string text)
    {
        var spec = KubernetesJson.Deserialize<DemoTenantSpec>($$"""{"prospect":"p","owner":"o","expiresAt":"{{text}}"}""");
        spec.ExpiresAt.Should().Be(new DateTimeOffset(2030, 1, 31, 18, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_tenant_with_a_lower_case_date_decodes_in_a_list()
    {
        var list = KubernetesJson.Deserialize<DemoTenantList>("""{"items":[{"metadata":{"name":"a"},"spec":{"prospect":"p","owner":"o","access":[{"kind":"User","name":"u","role":"view","expiresAt":"2030-01-01t00:00:00z"}]}}]}""");
        list.Items.Single().Spec.Access!.Single().ExpiresAt.Should().Be(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Written_in_utc_with_an_upper_case_z()
    {
        var json = KubernetesJson.Serialize(new DemoTenantStatus { ExpiresAt = new DateTimeOffset(2030, 1, 31, 20, 0, 0, TimeSpan.FromHours(2)) });
        json.Should().Contain("\"expiresAt\":\"2030-01-31T18:00:00Z\"");
    }
}
