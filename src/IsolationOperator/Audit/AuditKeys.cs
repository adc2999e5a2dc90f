using System.Net;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Audit;

/// <summary>
/// The HMAC keys, in one Secret in the operator's namespace: "current" names the version records are signed with,
/// and each version ("v1", "v2", ...) holds 32 random bytes. Created on first start; rotation adds a version and
/// moves "current" (old versions stay, so old records still verify). Key bytes never leave this class but as HMACs.
/// </summary>
public sealed class AuditKeys(IKubernetes client, string ns, string name, TimeProvider time)
{
    private static readonly TimeSpan Reread = TimeSpan.FromMinutes(5);
    private (string Version, byte[] Key, DateTimeOffset At)? _current;

    public string SecretName => name;

    /// <summary>The key records are signed with now (read again every few minutes, so a rotation is picked up).</summary>
    public async Task<(string Version, byte[] Key)> CurrentAsync(CancellationToken ct)
    {
        if (_current is { } c && time.GetUtcNow() - c.At < Reread) return (c.Version, c.Key);
        var secret = await ReadAsync(ct) ?? await CreateAsync(ct);
        var (version, key) = Current(secret);
        _current = (version, key, time.GetUtcNow());
        return (version, key);
    }

    /// <summary>Every key version, for verification; null when the caller may not read the Secret.</summary>
    public async Task<IReadOnlyDictionary<string, byte[]>?> AllAsync(CancellationToken ct)
    {
        try
        {
            var secret = await ReadAsync(ct);
            return secret?.Data?.Where(kv => kv.Key != "current").ToDictionary(kv => kv.Key, kv => kv.Value);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden) { return null; }
    }

    /// <summary>Adds the next version and makes it current; returns its name.</summary>
    public async Task<string> RotateAsync(CancellationToken ct)
    {
        var secret = await ReadAsync(ct) ?? await CreateAsync(ct);
        var next = $"v{secret.Data!.Keys.Where(k => k.StartsWith('v')).Select(k => int.TryParse(k[1..], out var n) ? n : 0).DefaultIfEmpty(0).Max() + 1}";
        secret.Data[next] = RandomNumberGenerator.GetBytes(32);
        secret.Data["current"] = Encoding.UTF8.GetBytes(next);
        await client.CoreV1.ReplaceNamespacedSecretAsync(secret, name, ns, cancellationToken: ct); // carries resourceVersion: no lost rotation
        _current = null;
        return next;
    }

    private static (string, byte[]) Current(V1Secret s)
    {
        var version = s.Data?.TryGetValue("current", out var v) == true ? Encoding.UTF8.GetString(v) : "";
        if (s.Data?.TryGetValue(version, out var key) != true || key!.Length < 16)
            throw new InvalidOperationException($"audit key Secret {s.Metadata.NamespaceProperty}/{s.Metadata.Name} has no usable key \"{version}\"");
        return (version, key);
    }

    private async Task<V1Secret?> ReadAsync(CancellationToken ct)
    {
        try { return await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct); }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { return null; }
    }

    private async Task<V1Secret> CreateAsync(CancellationToken ct)
    {
        try
        {
            return await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "isolation-operator" } },
                Type = "Opaque",
                Data = new Dictionary<string, byte[]> { ["current"] = "v1"u8.ToArray(), ["v1"] = RandomNumberGenerator.GetBytes(32) },
            }, ns, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return await ReadAsync(ct) ?? throw new InvalidOperationException($"audit key Secret {ns}/{name} vanished while being created");
        }
    }
}
