using IsolationOperator.Hosting;
using Microsoft.Extensions.Configuration;

namespace IsolationOperator.Tests.Unit.Hosting;

public class TenantLimitsOptionsTests
{
    private static OperatorOptions FromEnvironment(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build()
            .GetSection("Operator").Get<OperatorOptions>() ?? new OperatorOptions();

    [Fact]
    public void Defaults_cap_quota_deny_metadata_and_refuse_anywhere()
    {
        var policy = new OperatorOptions().ToPlannerPolicy();
        policy.QuotaCaps["requests.cpu"].Should().Be("16");
        policy.EgressDenyCidrs.Select(n => n.ToString()).Should().Contain("169.254.0.0/16");
        policy.AllowEgressToAnywhere.Should().BeFalse();
    }

    [Fact]
    public void Environment_keys_set_caps_deny_list_and_anywhere()
    {
        // Operator__QuotaCaps__requests.cpu in the environment is Operator:QuotaCaps:requests.cpu in configuration.
        var policy = FromEnvironment(
            ("Operator:QuotaCaps:requests.cpu", "8"),
            ("Operator:QuotaCaps:limits.memory", "128Gi"),
            ("Operator:EgressDenyCidrs:0", "10.96.0.0/12"),
            ("Operator:EgressDenyCidrs:1", " "),
            ("Operator:AllowEgressToAnywhere", "true")).ToPlannerPolicy();

        policy.QuotaCaps["requests.cpu"].Should().Be("8");
        policy.QuotaCaps["limits.memory"].Should().Be("128Gi");
        policy.QuotaCaps["pods"].Should().Be("200");
        policy.EgressDenyCidrs.Select(n => n.ToString()).Should().Contain(["169.254.0.0/16", "10.96.0.0/12"]);
        policy.AllowEgressToAnywhere.Should().BeTrue();
    }

    [Fact]
    public void A_bad_cap_or_cidr_stops_startup()
    {
        var cap = () => FromEnvironment(("Operator:QuotaCaps:requests.cpu", "many")).ToPlannerPolicy();
        cap.Should().Throw<InvalidOperationException>().WithMessage("*Operator__QuotaCaps__requests.cpu*");
        var cidr = () => FromEnvironment(("Operator:EgressDenyCidrs:0", "10.96.0.0")).ToPlannerPolicy();
        cidr.Should().Throw<InvalidOperationException>().WithMessage("*Operator__EgressDenyCidrs*");
    }
}
