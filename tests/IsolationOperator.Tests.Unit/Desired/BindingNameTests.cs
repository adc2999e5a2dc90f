using System.Text.RegularExpressions;
using IsolationOperator.Desired;

namespace IsolationOperator.Tests.Unit.Desired;

public partial class BindingNameTests
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    public static TheoryData<string, string, string> Subjects => new()
    {
        { "User", "alice@vendor.example", "admin" },
        { "User", "oidc:Alice.Smith@Prospect.COM", "edit" },
        { "Group", "system:authenticated:PROSPECT", "view" },
        { "Group", "prospect-acme", "edit" },
        { "User", "@@@", "view" },
        { "User", "Ünïcødé Nämé", "view" },
        { "User", "a", "admin" },
        { "User", new string('x', 253), "view" },
        { "Group", new string('G', 253), "admin" },
        { "Group", "cn=" + string.Join(",", Enumerable.Repeat("ou=Very Long Organisational Unit", 8)), "admin" },
        { "Group", new string('-', 60) + "x", "edit" },
    };

    [Theory]
    [MemberData(nameof(Subjects))]
    public void Binding_names_are_valid_for_any_subject_name(string kind, string name, string role)
    {
        var bindingName = RbacBuilder.BindingName(new AccessGrant(kind, name, role, null));

        bindingName.Length.Should().BeLessThanOrEqualTo(63, $"\"{bindingName}\" must fit a DNS label");
        DnsLabel().IsMatch(bindingName).Should().BeTrue($"\"{bindingName}\" must use only lower-case letters, digits and '-'");
        bindingName.Should().StartWith(RbacBuilder.AccessBindingPrefix);
    }

    [Fact]
    public void Binding_names_are_stable()
    {
        var grant = new AccessGrant("User", "alice@vendor.example", "edit", null);
        RbacBuilder.BindingName(grant).Should().Be(RbacBuilder.BindingName(grant with { }));
        RbacBuilder.BindingName(grant).Should().Be(RbacBuilder.BindingName(grant with { ExpiresAt = DateTimeOffset.UnixEpoch }),
            "changing an entry's deadline must not replace its binding");
    }

    [Fact]
    public void Binding_names_stay_readable()
    {
        RbacBuilder.BindingName(new AccessGrant("User", "alice@vendor.example", "edit", null))
            .Should().StartWith("access-edit-user-alice-vendor-example-");
    }

    [Fact]
    public void Binding_names_are_distinct_per_subject_and_role()
    {
        var grants = new[]
        {
            new AccessGrant("User", "alice@vendor.example", "edit", null),
            new AccessGrant("User", "Alice@vendor.example", "edit", null),
            new AccessGrant("User", "alice.vendor.example", "edit", null),
            new AccessGrant("User", "alice@vendor.example", "view", null),
            new AccessGrant("Group", "alice@vendor.example", "edit", null),
            new AccessGrant("User", new string('x', 200) + "1", "edit", null),
            new AccessGrant("User", new string('x', 200) + "2", "edit", null),
        };

        grants.Select(RbacBuilder.BindingName).Should().OnlyHaveUniqueItems();
    }
}
