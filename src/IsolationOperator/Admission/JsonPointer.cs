namespace IsolationOperator.Admission;

/// <summary>RFC 6901: a key becomes one path segment, '~' as "~0" and '/' as "~1" (node labels are full of '/').</summary>
public static class JsonPointer
{
    public static string Escape(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Of(params string[] segments) => string.Concat(segments.Select(s => "/" + Escape(s)));
}
