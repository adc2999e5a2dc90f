using System.Text.RegularExpressions;
using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Cli.Model;

/// <summary>"demo-db:username,password": a generated Secret and its keys (values are the operator's, never typed).</summary>
public static partial class SecretArg
{
    [GeneratedRegex(@"^[-._a-zA-Z0-9]+\z")]
    private static partial Regex Key();

    public static SecretSpec Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1) throw new CliException($"--secret \"{text}\" is not NAME:KEY[,KEY...], e.g. demo-db:username,password");
        var keys = text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var k in keys)
            if (!Key().IsMatch(k)) throw new CliException($"--secret \"{text}\": key \"{k}\" may hold only letters, digits, '-', '_' and '.'");
        return new SecretSpec { Name = text[..colon], Keys = keys.Select(k => new SecretKeySpec { Name = k }).ToList() };
    }
}
