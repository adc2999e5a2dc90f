using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IsolationOperator.Cli.Rendering;

/// <summary>
/// JSON as block YAML, keeping every type: a string that could read as something else (a number, a boolean, a date,
/// "null") is double-quoted with JSON escapes, which YAML reads back as the same string.
/// </summary>
public static partial class YamlText
{
    [GeneratedRegex(@"^[A-Za-z_/][A-Za-z0-9_./@+-]*\z")]
    private static partial Regex Plain();

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~" };

    public static string From(JsonNode? node)
    {
        var sb = new StringBuilder();
        if (node is JsonObject or JsonArray) Block(sb, node, 0);
        else sb.Append(Scalar(node)).Append('\n');
        return sb.ToString();
    }

    private static void Block(StringBuilder sb, JsonNode node, int indent)
    {
        var pad = new string(' ', indent);
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o)
            {
                sb.Append(pad).Append(Key(key)).Append(':');
                Child(sb, value, indent + 2);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a)
            {
                sb.Append(pad).Append('-');
                if (item is JsonObject { Count: > 0 } io)
                {
                    // The first key on the dash's line, the rest aligned under it.
                    var first = true;
                    foreach (var (key, value) in io)
                    {
                        sb.Append(first ? " " : pad + "  ").Append(Key(key)).Append(':');
                        Child(sb, value, indent + 4);
                        first = false;
                    }
                }
                else Child(sb, item, indent + 2);
            }
        }
    }

    private static void Child(StringBuilder sb, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }: sb.Append(" {}\n"); break;
            case JsonArray { Count: 0 }: sb.Append(" []\n"); break;
            case JsonObject or JsonArray: sb.Append('\n'); Block(sb, value, indent); break;
            default: sb.Append(' ').Append(Scalar(value)).Append('\n'); break;
        }
    }

    private static string Key(string key) => Plain().IsMatch(key) && !Reserved.Contains(key) ? key : Quote(key);

    private static string Scalar(JsonNode? node)
    {
        if (node is null) return "null";
        var v = node.AsValue();
        return v.GetValueKind() switch
        {
            JsonValueKind.String => String(v.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => v.ToJsonString(),
            _ => "null",
        };
    }

    private static string String(string s) => Plain().IsMatch(s) && !Reserved.Contains(s) ? s : Quote(s);

    private static string Quote(string s) => JsonSerializer.Serialize(s, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

}
