using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IsolationOperator.Api.V1Alpha1;

/// <summary>
/// RFC 3339 date-times as the API server admits them, lower-case "t" and "z" included (KubernetesClient's own converter
/// refuses those, and one such DemoTenant would otherwise make every list of DemoTenants fail to decode).
/// </summary>
public sealed class LenientDateTimeConverter : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        var text = reader.GetString();
        if (string.IsNullOrEmpty(text)) return null;
        if (DateTimeOffset.TryParse(text.ToUpperInvariant(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            return value;
        throw new JsonException($"\"{text}\" is not an RFC 3339 date-time");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is not { } v) { writer.WriteNullValue(); return; }
        var utc = v.UtcDateTime;
        writer.WriteStringValue(utc.Ticks % TimeSpan.TicksPerSecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
    }
}
