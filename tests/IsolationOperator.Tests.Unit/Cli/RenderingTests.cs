using System.Text.Json.Nodes;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Cli.Commands;
using IsolationOperator.Cli.Rendering;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace IsolationOperator.Tests.Unit.Cli;

public sealed class RenderingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static DemoTenant Tenant(string name, string owner, string phase, DateTimeOffset? expires, string? verified = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new DemoTenantSpec { Prospect = $"{name} Corp", Owner = owner, Access = [new AccessEntry { Kind = "Group", Name = "g", Role = "edit" }] },
        Status = new DemoTenantStatus
        {
            Phase = phase, ExpiresAt = expires,
            Conditions = verified is null ? null : [new V1Condition { Type = ConditionTypes.IsolationVerified, Status = verified }],
        },
    };

    [Fact]
    public void The_list_table_shows_prospect_phase_owner_countdown_access_and_verification()
    {
        var text = TenantTable.Render([Tenant("acme", "alice", "Ready", Now.AddHours(52), "True"), Tenant("globex", "bob", "Suspended", null, "False")], Now, colour: false);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().MatchRegex("^NAME +PROSPECT +PHASE +OWNER +EXPIRES IN +ACCESS +VERIFIED$");
        lines[1].Should().MatchRegex("^acme +acme Corp +Ready +alice +2d 4h +1 +yes$");
        lines[2].Should().MatchRegex("^globex +globex Corp +Suspended +bob +never +1 +NO$");
        text.Should().NotContain("\u001b[");
    }

    [Fact]
    public void Colour_is_used_only_when_asked_for() =>
        TenantTable.Render([Tenant("acme", "alice", "Ready", Now.AddHours(2), "True")], Now, colour: true).Should().Contain(Ansi.Green);

    [Fact]
    public void Filters_keep_the_caller_demos_and_those_expiring_soon()
    {
        var tenants = new[] { Tenant("a", "alice", "Ready", Now.AddHours(10)), Tenant("b", "bob", "Ready", Now.AddDays(5)), Tenant("c", "alice", "Ready", null) };
        ListCommand.Filter(tenants, "alice", null, Now).Select(t => t.Metadata.Name).Should().Equal("a", "c");
        ListCommand.Filter(tenants, null, TimeSpan.FromHours(48), Now).Select(t => t.Metadata.Name).Should().Equal("a");
    }

    [Fact]
    public void YAML_output_keeps_every_value_and_its_type()
    {
        var json = JsonNode.Parse("""
            {"kind":"DemoTenant","spec":{"prospect":"ACME: the \"real\" one","ttl":"168h","suspended":false,"quota":{"pods":"20","requests.cpu":2},
             "empty":{},"none":[],"access":[{"kind":"Group","name":"true","role":"edit"},"plain"],"when":"2026-12-24T00:00:00Z","nothing":null}}
            """);
        var yaml = YamlText.From(json);

        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var spec = (YamlMappingNode)root["spec"];
        ((YamlScalarNode)spec["prospect"]).Value.Should().Be("ACME: the \"real\" one");
        ((YamlScalarNode)spec["suspended"]).Style.Should().Be(YamlDotNet.Core.ScalarStyle.Plain);
        var quota = (YamlMappingNode)spec["quota"];
        ((YamlScalarNode)quota["pods"]).Style.Should().Be(YamlDotNet.Core.ScalarStyle.DoubleQuoted, "a string that looks like a number stays a string");
        ((YamlScalarNode)quota["requests.cpu"]).Style.Should().Be(YamlDotNet.Core.ScalarStyle.Plain);
        var access = (YamlSequenceNode)spec["access"];
        ((YamlScalarNode)((YamlMappingNode)access[0])["name"]).Style.Should().Be(YamlDotNet.Core.ScalarStyle.DoubleQuoted);
        ((YamlScalarNode)((YamlMappingNode)access[0])["role"]).Value.Should().Be("edit");
        ((YamlScalarNode)access[1]).Value.Should().Be("plain");
        ((YamlScalarNode)spec["when"]).Value.Should().Be("2026-12-24T00:00:00Z");
        yaml.Should().Contain("empty: {}").And.Contain("none: []");
    }
}
