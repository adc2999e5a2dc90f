using IsolationOperator.Desired;
using IsolationOperator.Hosting;
using Microsoft.Extensions.Configuration;

namespace IsolationOperator.Tests.Unit.Hosting;

public class OperatorOptionsPolicyTests
{
    private static OperatorOptions FromEnvironment(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build()
            .GetSection("Operator").Get<OperatorOptions>() ?? new OperatorOptions();

    [Fact]
    public void Defaults_give_the_default_policy()
    {
        var policy = new OperatorOptions().ToPlannerPolicy();

        policy.NamespacePrefix.Should().Be(PlannerPolicy.Default.NamespacePrefix);
        policy.ReservedNamespaces.Should().Equal(PlannerPolicy.Default.ReservedNamespaces);
        policy.AllowedSystemSubjects.Should().BeEmpty();
    }

    [Fact]
    public void Environment_style_keys_set_prefix_extra_reserved_namespaces_and_allowed_subjects()
    {
        // Operator__ReservedNamespaces__0 in the environment is Operator:ReservedNamespaces:0 in configuration.
        var policy = FromEnvironment(
            ("Operator:NamespacePrefix", "poc-"),
            ("Operator:ReservedNamespaces:0", "payments"),
            ("Operator:ReservedNamespaces:1", " "),
            ("Operator:AllowedSystemSubjects:0", " Group:system:serviceaccounts:ci ")).ToPlannerPolicy();

        policy.NamespacePrefix.Should().Be("poc-");
        policy.ReservedNamespaces.Should().Contain(PlannerPolicy.BuiltInReservedNamespaces).And.Contain("payments")
            .And.HaveCount(PlannerPolicy.BuiltInReservedNamespaces.Count + 1, "extra names are added, never replace the built-in ones");
        policy.AllowedSystemSubjects.Should().Equal("Group:system:serviceaccounts:ci");
    }

    [Theory]
    [InlineData("Demo-")]
    [InlineData("-demo")]
    [InlineData("demo_")]
    public void A_prefix_that_cannot_start_a_namespace_name_is_refused_at_startup(string prefix)
    {
        var act = () => new OperatorOptions { NamespacePrefix = prefix }.ToPlannerPolicy();
        act.Should().Throw<InvalidOperationException>().WithMessage($"*Operator__NamespacePrefix \"{prefix}\"*");
    }

    [Fact]
    public void An_allowed_subject_without_its_kind_is_refused_at_startup()
    {
        var act = () => new OperatorOptions { AllowedSystemSubjects = ["group:system:serviceaccounts:ci"] }.ToPlannerPolicy();
        act.Should().Throw<InvalidOperationException>().WithMessage("*\"User:<name>\" or \"Group:<name>\"*");
    }
}
