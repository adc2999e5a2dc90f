using System.Globalization;
using System.Security.Cryptography;
using k8s.Models;

namespace IsolationOperator.Desired;

/// <summary>
/// Generated secrets: values come from a cryptographic RNG for this tenant alone, and once made they are carried
/// over unchanged (a restart or another spec change must never lose a live demo's password). Only a key that is
/// new, or a due rotation, produces new values.
/// </summary>
public static class SecretBuilder
{
    public const string GeneratedAtAnnotation = "isolation.demo.dev/generated-at";
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <param name="existing">The secret as it is in the cluster, or null.</param>
    /// <param name="rotate">True when this secret's rotation is due: all values are generated anew.</param>
    public static V1Secret Build(TenantPlan plan, SecretPlan secret, V1Secret? existing, bool rotate, DateTimeOffset now)
    {
        var data = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var generated = false;
        foreach (var key in secret.Keys)
        {
            if (!rotate && existing?.Data is { } old && old.TryGetValue(key.Name, out var value) && value is { Length: > 0 })
                data[key.Name] = value;
            else
            {
                data[key.Name] = System.Text.Encoding.ASCII.GetBytes(RandomNumberGenerator.GetString(Alphabet, key.Length));
                generated = true;
            }
        }
        var stamp = !generated && GeneratedAt(existing) is { } at ? at : now;
        var meta = TenantLabels.Meta(plan.Tenant, secret.Name, plan.Namespace);
        meta.Annotations = new Dictionary<string, string> { [GeneratedAtAnnotation] = Format(stamp) };
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = meta,
            Type = "Opaque",
            Data = data.ToDictionary(kv => kv.Key, kv => kv.Value),
        };
    }

    /// <summary>When the values were last generated, recorded on the Secret itself so it survives restarts.</summary>
    public static DateTimeOffset? GeneratedAt(V1Secret? secret) =>
        secret?.Metadata?.Annotations is { } a && a.TryGetValue(GeneratedAtAnnotation, out var s) &&
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>Next rotation moment, or null when the secret does not rotate or does not exist yet.</summary>
    public static DateTimeOffset? NextRotation(SecretPlan secret, V1Secret? existing) =>
        secret.RotateEvery is { } every && GeneratedAt(existing) is { } at ? at + every : null;

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
