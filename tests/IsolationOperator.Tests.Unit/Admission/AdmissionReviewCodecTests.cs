using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IsolationOperator.Admission;

namespace IsolationOperator.Tests.Unit.Admission;

public sealed class AdmissionReviewCodecTests
{
    public const string Review = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
          "uid":"705ab4f5-6393-11e8-b7cc-42010a800002",
          "kind":{"group":"isolation.demo.dev","version":"v1alpha1","kind":"DemoTenant"},
          "resource":{"group":"isolation.demo.dev","version":"v1alpha1","resource":"demotenants"},
          "name":"acme","operation":"UPDATE",
          "userInfo":{"username":"alice@vendor.example","groups":["se-team","system:authenticated"]},
          "object":{"metadata":{"name":"acme"},"spec":{"ttl":"2h"}},
          "oldObject":{"metadata":{"name":"acme"},"spec":{"ttl":"1h"}},
          "dryRun":true}}
        """;

    [Fact]
    public void A_review_becomes_a_call_with_user_groups_and_both_objects()
    {
        var call = AdmissionReviewCodec.Parse(Encoding.UTF8.GetBytes(Review));

        call.Uid.Should().Be("705ab4f5-6393-11e8-b7cc-42010a800002");
        call.Operation.Should().Be("UPDATE");
        (call.Group, call.Kind, call.Name, call.Namespace).Should().Be(("isolation.demo.dev", "DemoTenant", "acme", null));
        call.UserName.Should().Be("alice@vendor.example");
        call.UserGroups.Should().Equal("se-team", "system:authenticated");
        call.Object!.Value.GetProperty("spec").GetProperty("ttl").GetString().Should().Be("2h");
        call.OldObject!.Value.GetProperty("spec").GetProperty("ttl").GetString().Should().Be("1h");
        call.DryRun.Should().BeTrue();
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"u","operation":"CREATE"}}""")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}""")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"operation":"CREATE"}}""")]
    public void Anything_but_an_AdmissionReview_v1_request_is_malformed(string body)
    {
        var parse = () => AdmissionReviewCodec.Parse(Encoding.UTF8.GetBytes(body));
        parse.Should().Throw<MalformedReviewException>();
    }

    [Fact]
    public void A_refusal_echoes_the_uid_with_its_code_and_message_and_no_patch()
    {
        var answer = Response(AdmissionReviewCodec.Answer("u-1", AdmissionVerdict.Deny("spec.quota.gpus is not a quota this operator manages")));

        answer["uid"]!.GetValue<string>().Should().Be("u-1");
        answer["allowed"]!.GetValue<bool>().Should().BeFalse();
        answer["status"]!["code"]!.GetValue<int>().Should().Be(403);
        answer["status"]!["message"]!.GetValue<string>().Should().Contain("spec.quota.gpus");
        answer["patch"].Should().BeNull();
    }

    [Fact]
    public void A_mutation_is_a_base64_json_patch_with_its_type()
    {
        var verdict = AdmissionVerdict.Mutate([new JsonPatchOperation("add", "/metadata/annotations/a~1b", JsonValue.Create("v")), new JsonPatchOperation("remove", "/metadata/labels/x")]) with { Warnings = ["careful"] };
        var answer = Response(AdmissionReviewCodec.Answer("u-2", verdict));

        answer["allowed"]!.GetValue<bool>().Should().BeTrue();
        answer["patchType"]!.GetValue<string>().Should().Be("JSONPatch");
        var patch = JsonNode.Parse(Convert.FromBase64String(answer["patch"]!.GetValue<string>()))!.AsArray();
        patch[0]!.ToJsonString().Should().Be("""{"op":"add","path":"/metadata/annotations/a~1b","value":"v"}""");
        patch[1]!.ToJsonString().Should().Be("""{"op":"remove","path":"/metadata/labels/x"}""");
        answer["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).Should().Equal("careful");
    }

    [Fact]
    public void Json_pointer_segments_escape_tilde_and_slash() =>
        AdmissionReviewCodec.PointerSegment("isolation.demo.dev/requested-by~x").Should().Be("isolation.demo.dev~1requested-by~0x");

    private static JsonNode Response(byte[] body)
    {
        var review = JsonNode.Parse(body)!;
        review["apiVersion"]!.GetValue<string>().Should().Be("admission.k8s.io/v1");
        review["kind"]!.GetValue<string>().Should().Be("AdmissionReview");
        return review["response"]!;
    }
}
