using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IsolationOperator.Tests.Unit.Support;

/// <summary>YAML as kubectl reads it: documents converted to JSON, plain scalars typed by the YAML 1.2 core schema.</summary>
internal static partial class Yaml
{
    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    public static IReadOnlyList<YamlNode> LoadDocuments(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).Where(n => n is not YamlScalarNode { Value: null or "" }).ToList();
    }

    public static YamlMappingNode LoadMapping(string path) => (YamlMappingNode)LoadDocuments(path).Single();

    public static YamlMappingNode ParseMapping(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } p => Plain(p.Value),
        YamlScalarNode q => JsonValue.Create(q.Value ?? ""),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonNode? Plain(string? v)
    {
        if (v is null or "" or "~" or "null" or "Null" or "NULL") return null;
        if (v is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (v is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (Integer().IsMatch(v) && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (Float().IsMatch(v)) return JsonValue.Create(double.Parse(v, CultureInfo.InvariantCulture));
        return JsonValue.Create(v);
    }

    /// <summary>Walks a dotted path of mapping keys; "[0]" picks a sequence item.</summary>
    public static YamlNode At(this YamlNode node, string path)
    {
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var m = ItemIndex().Match(part);
            var key = m.Success ? m.Groups[1].Value : part;
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
            if (m.Success) node = ((YamlSequenceNode)node).Children[int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)];
        }
        return node;
    }

    public static YamlNode? TryGet(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Scalar(this YamlMappingNode node, string key) => (node.TryGet(key) as YamlScalarNode)?.Value;

    public static IReadOnlyList<string> Strings(this YamlNode? node) =>
        node is YamlSequenceNode s ? s.Children.Cast<YamlScalarNode>().Select(c => c.Value!).ToList() : [];

    [GeneratedRegex(@"^(.+)\[(\d+)\]$")]
    private static partial Regex ItemIndex();
}
