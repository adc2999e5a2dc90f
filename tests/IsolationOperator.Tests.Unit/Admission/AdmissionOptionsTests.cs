using IsolationOperator.Admission;
using Microsoft.Extensions.Configuration;

namespace IsolationOperator.Tests.Unit.Admission;

public class AdmissionOptionsTests
{
    private static AdmissionOptions Bind(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build()
            .GetSection(AdmissionOptions.Section).Get<AdmissionOptions>() ?? new AdmissionOptions();

    [Fact]
    public void Defaults_enforce_pod_security_and_keep_large_for_admins_with_no_limits_or_allow_lists()
    {
        var options = Bind();

        options.EnforcePodSecurity.Should().BeTrue();
        options.LargeProfileAdminOnly.Should().BeTrue();
        options.MaxLifetime.Should().BeNull();
        options.MaxExtension.Should().BeNull();
        options.AdminGroup.Should().BeNull();
        options.OperatorUser.Should().BeNull();
        options.AllowedSubjectPrefixes.Should().BeEmpty();
        options.StorageClasses.Should().BeEmpty();
        options.IngressClasses.Should().BeEmpty();
        options.PriorityClasses.Should().BeEmpty();
        options.IngressAnnotationAllowList.Should().BeEmpty();
    }

    [Fact]
    public void Environment_keys_bind_from_the_Operator_Admission_section()
    {
        var options = Bind(
            ("Operator:Admission:AdminGroup", "platform-admins"),
            ("Operator:Admission:OperatorUser", "system:serviceaccount:isolation-system:isolation-operator"),
            ("Operator:Admission:MaxLifetime", "30.00:00:00"),
            ("Operator:Admission:MaxExtension", "7.00:00:00"),
            ("Operator:Admission:EnforcePodSecurity", "false"),
            ("Operator:Admission:AllowedSubjectPrefixes:0", "prospect-"),
            ("Operator:Admission:AllowedSubjectPrefixes:1", "se-"),
            ("Operator:Admission:IngressDomain", "demos.example.com"),
            ("Operator:Admission:StorageClasses:0", "standard"));

        options.AdminGroup.Should().Be("platform-admins");
        options.OperatorUser.Should().Be("system:serviceaccount:isolation-system:isolation-operator");
        options.MaxLifetime.Should().Be(TimeSpan.FromDays(30));
        options.MaxExtension.Should().Be(TimeSpan.FromDays(7));
        options.EnforcePodSecurity.Should().BeFalse();
        options.AllowedSubjectPrefixes.Should().Equal("prospect-", "se-");
        options.IngressDomain.Should().Be("demos.example.com");
        options.StorageClasses.Should().Equal("standard");
    }
}
