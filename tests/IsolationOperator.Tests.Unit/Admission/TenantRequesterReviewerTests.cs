using System.Text.Json;
using IsolationOperator.Admission;

namespace IsolationOperator.Tests.Unit.Admission;

public sealed class TenantRequesterReviewerTests
{
    private static readonly string Alice = RequesterAnnotations.Format("alice", ["se"]);
    private static readonly string Bob = RequesterAnnotations.Format("bob", ["se"]);
    private static readonly string Forged = RequesterAnnotations.Format("ceo", []);

    private static JsonElement Obj(string spec, Dictionary<string, string>? annotations = null) => JsonSerializer.SerializeToElement(new
    {
        metadata = annotations is null ? (object)new { name = "acme" } : new { name = "acme", annotations },
        spec = JsonDocument.Parse(spec).RootElement,
    });

    private static Task<AdmissionVerdict> Review(string op, string user, JsonElement obj, JsonElement? old = null) =>
        new TenantRequesterReviewer(null!).ReviewAsync(new AdmissionCall("u", op, "isolation.demo.dev", "DemoTenant", null, "acme", null, obj, old, user, ["se"], false), CancellationToken.None);

    private static Dictionary<string, string?> Apply(JsonElement obj, AdmissionVerdict v)
    {
        var result = new Dictionary<string, string?>();
        if (obj.GetProperty("metadata").TryGetProperty("annotations", out var a))
            foreach (var p in a.EnumerateObject()) result[p.Name] = p.Value.GetString();
        foreach (var op in v.Patch ?? [])
        {
            if (op.Path == "/metadata/annotations") { foreach (var (k, val) in op.Value!.AsObject()) result[k] = val!.GetValue<string>(); continue; }
            var key = op.Path["/metadata/annotations/".Length..].Replace("~1", "/").Replace("~0", "~");
            if (op.Op == "remove") result.Remove(key); else result[key] = op.Value!.GetValue<string>();
        }
        return result;
    }

    [Fact]
    public async Task Create_records_the_requester_in_both_annotations_whatever_the_request_said()
    {
        var obj = Obj("{}", new() { [RequesterAnnotations.RequestedBy] = Forged, ["keep"] = "me" });
        var after = Apply(obj, await Review("CREATE", "alice", obj));

        RequesterAnnotations.Parse(after[RequesterAnnotations.RequestedBy])!.User.Should().Be("alice");
        RequesterAnnotations.Parse(after[RequesterAnnotations.LastChangedBy])!.Groups.Should().Equal("se");
        after["keep"].Should().Be("me");
    }

    [Fact]
    public async Task A_spec_change_records_the_changer_and_keeps_the_creator()
    {
        var old = Obj("""{"ttl":"1h"}""", new() { [RequesterAnnotations.RequestedBy] = Alice, [RequesterAnnotations.LastChangedBy] = Alice });
        var obj = Obj("""{"ttl":"2h"}""", new() { [RequesterAnnotations.RequestedBy] = Forged, [RequesterAnnotations.LastChangedBy] = Alice });
        var after = Apply(obj, await Review("UPDATE", "bob", obj, old));

        after[RequesterAnnotations.RequestedBy].Should().Be(Alice);
        after[RequesterAnnotations.LastChangedBy].Should().Be(Bob);
    }

    [Fact]
    public async Task An_update_that_leaves_the_spec_alone_restores_both_even_absent_ones()
    {
        var old = Obj("""{"ttl":"1h"}""", new() { [RequesterAnnotations.RequestedBy] = Alice });
        var obj = Obj("""{"ttl":"1h"}""", new() { [RequesterAnnotations.RequestedBy] = Forged, [RequesterAnnotations.LastChangedBy] = Forged });
        var after = Apply(obj, await Review("UPDATE", "bob", obj, old));

        after[RequesterAnnotations.RequestedBy].Should().Be(Alice);
        after.Should().NotContainKey(RequesterAnnotations.LastChangedBy);
    }

    [Fact]
    public async Task An_update_that_changes_nothing_about_them_needs_no_patch()
    {
        var old = Obj("{}", new() { [RequesterAnnotations.RequestedBy] = Alice, [RequesterAnnotations.LastChangedBy] = Alice });
        (await Review("UPDATE", "operator", old, old)).Patch.Should().BeNull();
    }
}
