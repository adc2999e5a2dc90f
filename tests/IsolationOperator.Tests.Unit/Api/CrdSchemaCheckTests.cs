using System.Text.Json.Nodes;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Api;

/// <summary>The schema checks must be able to fail: each is shown a broken schema or document once.</summary>
public class CrdSchemaCheckTests
{
    private const string SpecSchema = """
        type: object
        required: [prospect, owner]
        properties:
          prospect: {type: string}
          owner: {type: string}
          namespace: {type: string, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'}
          profile: {type: string, enum: [small, medium, large]}
          ttl: {type: string}
          expiresAt: {type: string, format: date-time}
          suspended: {type: boolean}
          workloadRole: {type: string, enum: [view, edit]}
          access:
            type: array
            items:
              type: object
              required: [kind, name, role]
              properties:
                kind: {type: string}
                name: {type: string}
                role: {type: string}
                expiresAt: {type: string, format: date-time}
          network:
            type: object
            properties:
              allowDNS: {type: boolean}
              ingressFromNamespaces: {type: array, items: {type: string}}
              egressCIDRs: {type: array, items: {type: string}}
              allowIngress: {type: boolean}
              allowExternalName: {type: boolean}
          quota:
            type: object
            additionalProperties: {x-kubernetes-int-or-string: true}
          secrets:
            type: array
            items:
              type: object
              required: [name, keys]
              properties:
                name: {type: string}
                rotateEvery: {type: string}
                keys:
                  type: array
                  items:
                    type: object
                    required: [name]
                    properties:
                      name: {type: string}
                      length: {type: integer, minimum: 8}
          isolation:
            type: object
            properties:
              runtimeClassName: {type: string}
              nodes:
                type: object
                properties:
                  selector: {type: object, additionalProperties: {type: string}}
                  tolerations:
                    type: array
                    items:
                      type: object
                      properties:
                        key: {type: string}
                        operator: {type: string}
                        value: {type: string}
                        effect: {type: string}
                        tolerationSeconds: {type: integer, format: int64}
        """;

    private static List<string> CompareWith(string from, string to) =>
        CrdSchema.Compare(Yaml.ParseMapping(SpecSchema.Replace(from, to, StringComparison.Ordinal)), typeof(DemoTenantSpec), "spec");

    [Fact]
    public void The_reference_schema_matches()
    {
        CrdSchema.Compare(Yaml.ParseMapping(SpecSchema), typeof(DemoTenantSpec), "spec").Should().BeEmpty();
    }

    [Fact]
    public void A_schema_property_the_model_lacks_is_found()
    {
        CompareWith("suspended: {type: boolean}", "suspended: {type: boolean}\n  paused: {type: boolean}")
            .Should().ContainSingle().Which.Should().Contain("spec.paused is in the CRD");
    }

    [Fact]
    public void A_model_property_the_schema_lacks_is_found_even_when_nested()
    {
        CompareWith("length: {type: integer, minimum: 8}", "")
            .Should().ContainSingle().Which.Should().Contain("SecretKeySpec.Length (\"length\") is not in the CRD at spec.secrets[].keys[]");
    }

    [Fact]
    public void A_required_field_that_is_nullable_in_the_model_is_found()
    {
        CompareWith("required: [prospect, owner]", "required: [prospect, owner, namespace]")
            .Should().ContainSingle().Which.Should().Contain("spec.namespace is required in the CRD but DemoTenantSpec.Namespace is nullable");
    }

    [Fact]
    public void A_type_mismatch_is_found()
    {
        CompareWith("suspended: {type: boolean}", "suspended: {type: string}")
            .Should().ContainSingle().Which.Should().Contain("spec.suspended is string in the CRD but Boolean in the model");
    }

    [Fact]
    public void Validation_finds_unknown_fields_bad_enums_patterns_and_missing_required_fields()
    {
        var doc = JsonNode.Parse("""
            {"prospect": "P", "profil": "small", "profile": "huge", "namespace": "Demo",
             "secrets": [{"name": "s", "keys": [{"name": "k", "length": 4}]}, {"name": "t"}]}
            """);

        CrdSchema.Validate(doc, Yaml.ParseMapping(SpecSchema), "spec").Should().BeEquivalentTo(
            "spec.owner is required",
            "spec.profil is not in the schema (the API server would prune it)",
            "spec.profile \"huge\" is not one of small, medium, large",
            "spec.namespace \"Demo\" does not match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
            "spec.secrets[0].keys[0].length: 4 breaks minimum 8",
            "spec.secrets[1].keys is required");
    }
}
