using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace IsolationOperator.Tests.Unit.Support;

/// <summary>The CRD's openAPIV3Schema, compared with the C# model and used to validate documents like the API server would.</summary>
internal static class CrdSchema
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static YamlMappingNode Load() => Yaml.LoadMapping(RepoPaths.Crd);

    public static YamlMappingNode Version(YamlMappingNode crd) => (YamlMappingNode)crd.At("spec.versions[0]");

    public static YamlMappingNode Root(YamlMappingNode crd) => (YamlMappingNode)Version(crd).At("schema.openAPIV3Schema");

    public static IReadOnlyDictionary<string, PropertyInfo> JsonProperties(Type model) =>
        model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null)
            .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name);

    /// <summary>Every way the schema at <paramref name="path"/> and the model type disagree.</summary>
    public static List<string> Compare(YamlMappingNode schema, Type model, string path)
    {
        var problems = new List<string>();
        CompareObject(schema, model, path, problems);
        return problems;
    }

    private static void CompareObject(YamlMappingNode schema, Type model, string path, List<string> problems)
    {
        var properties = (YamlMappingNode?)schema.TryGet("properties");
        if (properties is null)
        {
            problems.Add($"{path}: schema has no properties to compare with {model.Name}");
            return;
        }
        var inSchema = properties.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => (YamlMappingNode)kv.Value);
        var inModel = JsonProperties(model);

        foreach (var name in inSchema.Keys.Except(inModel.Keys))
            problems.Add($"{path}.{name} is in the CRD but {model.Name} has no [JsonPropertyName(\"{name}\")] property");
        foreach (var name in inModel.Keys.Except(inSchema.Keys))
            problems.Add($"{model.Name}.{inModel[name].Name} (\"{name}\") is not in the CRD at {path}");

        var required = schema.TryGet("required").Strings();
        foreach (var name in required.Where(r => !inSchema.ContainsKey(r)))
            problems.Add($"{path}.required names \"{name}\", which is not a property");
        var ours = model.Assembly == typeof(IsolationOperator.Api.V1Alpha1.DemoTenant).Assembly;

        foreach (var (name, property) in inModel.Where(kv => inSchema.ContainsKey(kv.Key)))
        {
            var childPath = $"{path}.{name}";
            if (ours && required.Contains(name) && IsNullable(property))
                problems.Add($"{childPath} is required in the CRD but {model.Name}.{property.Name} is nullable");
            if (ours && !required.Contains(name) && property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null)
                problems.Add($"{childPath} is optional but {model.Name}.{property.Name} is a non-nullable {property.PropertyType.Name}: it would always be sent");
            CompareValue(inSchema[name], property.PropertyType, childPath, problems);
        }
    }

    private static void CompareValue(YamlMappingNode schema, Type type, string path, List<string> problems)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (schema.Scalar("x-kubernetes-int-or-string") == "true")
        {
            Expect(t == typeof(IntOrString), path, "int-or-string", t, problems);
            return;
        }
        switch (schema.Scalar("type"))
        {
            case "string" when schema.Scalar("format") == "date-time":
                Expect(t == typeof(DateTimeOffset) || t == typeof(DateTime), path, "date-time", t, problems);
                break;
            case "string":
                Expect(t == typeof(string), path, "string", t, problems);
                break;
            case "integer":
                Expect(t == typeof(long) || (t == typeof(int) && schema.Scalar("format") != "int64"), path, "integer", t, problems);
                break;
            case "boolean":
                Expect(t == typeof(bool), path, "boolean", t, problems);
                break;
            case "array":
                if (ElementType(t) is not { } element) problems.Add($"{path} is an array but the model has {t.Name}");
                else CompareValue((YamlMappingNode)schema.At("items"), element, path + "[]", problems);
                break;
            case "object" when schema.TryGet("properties") is not null:
                CompareObject(schema, t, path, problems);
                break;
            case "object" when schema.TryGet("additionalProperties") is YamlMappingNode values:
                if (DictionaryValueType(t) is not { } valueType) problems.Add($"{path} is a map but the model has {t.Name}");
                else CompareValue(values, valueType, path + ".*", problems);
                break;
            case "object":
                Expect(t == typeof(V1ObjectMeta), path, "an opaque object", t, problems);
                break;
            default:
                problems.Add($"{path} has schema type \"{schema.Scalar("type")}\" this test does not know");
                break;
        }
    }

    private static void Expect(bool ok, string path, string schemaType, Type modelType, List<string> problems)
    {
        if (!ok) problems.Add($"{path} is {schemaType} in the CRD but {modelType.Name} in the model");
    }

    private static bool IsNullable(PropertyInfo p) =>
        p.PropertyType.IsValueType ? Nullable.GetUnderlyingType(p.PropertyType) is not null : Nullability.Create(p).ReadState != NullabilityState.NotNull;

    private static Type? ElementType(Type t) =>
        t == typeof(string) ? null :
        t.IsArray ? t.GetElementType() :
        (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IEnumerable<>) ? t : t.GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)))?.GetGenericArguments()[0];

    private static Type? DictionaryValueType(Type t) =>
        (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IDictionary<,>) ? t : t.GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))) is { } d &&
        d.GetGenericArguments()[0] == typeof(string) ? d.GetGenericArguments()[1] : null;

    /// <summary>A structural-schema check of a JSON document: types, properties, required, enums, patterns, bounds.</summary>
    public static List<string> Validate(JsonNode? value, YamlMappingNode schema, string path = "")
    {
        var problems = new List<string>();
        ValidateNode(value, schema, path, problems);
        return problems;
    }

    private static void ValidateNode(JsonNode? value, YamlMappingNode schema, string path, List<string> problems)
    {
        if (value is null)
        {
            problems.Add($"{path} is null");
            return;
        }
        var enumValues = schema.TryGet("enum").Strings();
        if (enumValues.Count > 0 && !enumValues.Contains(value.ToString()))
            problems.Add($"{path} \"{value}\" is not one of {string.Join(", ", enumValues)}");
        if (schema.Scalar("x-kubernetes-int-or-string") == "true")
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var s)) Pattern(schema, s, path, problems);
            else if (value is not JsonValue) problems.Add($"{path} must be an integer or a string");
            return;
        }
        switch (schema.Scalar("type"))
        {
            case "object":
                if (value is not JsonObject o) { problems.Add($"{path} must be an object"); return; }
                foreach (var r in schema.TryGet("required").Strings().Where(r => !o.ContainsKey(r)))
                    problems.Add($"{path}.{r} is required");
                var properties = schema.TryGet("properties") as YamlMappingNode;
                var additional = schema.TryGet("additionalProperties") as YamlMappingNode;
                foreach (var (key, child) in o)
                {
                    if (properties?.TryGet(key) is YamlMappingNode p) ValidateNode(child, p, $"{path}.{key}", problems);
                    else if (additional is not null) ValidateNode(child, additional, $"{path}.{key}", problems);
                    else if (properties is not null) problems.Add($"{path}.{key} is not in the schema (the API server would prune it)");
                }
                break;
            case "array":
                if (value is not JsonArray a) { problems.Add($"{path} must be an array"); return; }
                Bound(schema, "minItems", a.Count, path, problems, min: true);
                Bound(schema, "maxItems", a.Count, path, problems, min: false);
                for (var i = 0; i < a.Count; i++) ValidateNode(a[i], (YamlMappingNode)schema.At("items"), $"{path}[{i}]", problems);
                break;
            case "string":
                if (value is not JsonValue sv || !sv.TryGetValue<string>(out var text)) { problems.Add($"{path} must be a string"); return; }
                Bound(schema, "minLength", text.Length, path, problems, min: true);
                Bound(schema, "maxLength", text.Length, path, problems, min: false);
                Pattern(schema, text, path, problems);
                if (schema.Scalar("format") == "date-time" && !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _))
                    problems.Add($"{path} \"{text}\" is not a date-time");
                break;
            case "integer":
                if (value is not JsonValue iv || !iv.TryGetValue<long>(out var n)) { problems.Add($"{path} must be an integer"); return; }
                Bound(schema, "minimum", n, path, problems, min: true);
                Bound(schema, "maximum", n, path, problems, min: false);
                break;
            case "boolean":
                if (value is not JsonValue bv || !bv.TryGetValue<bool>(out _)) problems.Add($"{path} must be a boolean");
                break;
        }
    }

    private static void Pattern(YamlMappingNode schema, string text, string path, List<string> problems)
    {
        // ECMAScript: \d means ASCII digits only, as in the API server's Go regexps.
        if (schema.Scalar("pattern") is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.ECMAScript))
            problems.Add($"{path} \"{text}\" does not match {pattern}");
    }

    private static void Bound(YamlMappingNode schema, string keyword, long actual, string path, List<string> problems, bool min)
    {
        if (schema.Scalar(keyword) is not { } text) return;
        var limit = long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        if (min ? actual < limit : actual > limit) problems.Add($"{path}: {actual} breaks {keyword} {limit}");
    }
}
