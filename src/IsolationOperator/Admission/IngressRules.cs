using System.Text.Json;

namespace IsolationOperator.Admission;

/// <summary>
/// Ingresses: opt-in per tenant (spec.network.allowIngress). When on: a class from Operator:Admission:IngressClasses
/// (empty: the cluster's default class, i.e. none named); every host is &lt;namespace&gt;.&lt;IngressDomain&gt; or a name
/// under it (app.demo-acme.demos.example.com, *.demo-acme.demos.example.com), in rules and in tls; no rule without a
/// host and no default backend (either would catch other sites' traffic); controller annotations only from
/// Operator:Admission:IngressAnnotationAllowList, and never the ingress-nginx ones that have let an Ingress read the
/// controller's Secrets or run configuration on it.
/// </summary>
public static class IngressRules
{
    public const string ClassAnnotation = "kubernetes.io/ingress.class";

    /// <summary>Refused even when allow-listed: configuration injection, requests to arbitrary URLs, references to Secrets and ConfigMaps by namespace/name.</summary>
    private static readonly string[] NeverAllowedNginx =
    [
        "auth-url", "auth-signin", "auth-proxy-set-headers", "auth-tls-secret", "auth-secret", "proxy-ssl-secret",
        "mirror-uri", "mirror-target", "mirror-host", "fastcgi-params-configmap", "custom-headers", "global-auth-url",
    ];

    /// <summary>Annotations no controller acts on: kubectl's own bookkeeping.</summary>
    private static readonly string[] AlwaysAllowedPrefixes = ["kubectl.kubernetes.io/"];

    public static IEnumerable<string> Findings(JsonElement ingress, WorkloadContext context)
    {
        if (!context.AllowsIngress)
        {
            yield return $"Ingresses are off for this demo (spec.network.allowIngress); {context.AskTheOwner} to set spec.network.allowIngress: true";
            yield break;
        }
        var options = context.Options;
        var annotations = ingress.Map("metadata", "annotations");

        var classes = AdmissionOptions.Clean(options.IngressClasses);
        foreach (var (where, value) in new[] { ("spec.ingressClassName", ingress.Str("spec", "ingressClassName")), ($"annotation {ClassAnnotation}", annotations.GetValueOrDefault(ClassAnnotation)) })
            if (value is not null && !classes.Contains(value, StringComparer.Ordinal))
                yield return $"{where} \"{value}\" is not allowed (Operator:Admission:IngressClasses); " +
                             (classes.Count == 0 ? "remove it to use the cluster's default ingress class" : $"use one of {string.Join(", ", classes)}");

        if (ingress.Get("spec", "defaultBackend") is not null || ingress.Get("spec", "backend") is not null)
            yield return "a default backend is not allowed: it would receive other sites' traffic; remove it and give each rule a host";

        var domain = Domain(options.IngressDomain);
        var zone = domain is null ? null : $"{context.Namespace}.{domain}";
        var hosts = ingress.Items("spec", "rules").Select(r => (Where: "spec.rules", Host: r.Str("host")))
            .Concat(ingress.Items("spec", "tls").SelectMany(t => t.Strings("hosts")).Select(h => (Where: "spec.tls", Host: (string?)h)));
        foreach (var (where, host) in hosts)
        {
            if (string.IsNullOrEmpty(host))
                yield return zone is null
                    ? $"{where}: a rule without a host is not allowed (it catches every site's traffic), and no ingress domain is configured (Operator:Admission:IngressDomain); ask a cluster admin to set one"
                    : $"{where}: a rule without a host is not allowed: it catches every site's traffic; use a host such as app.{zone}";
            else if (zone is null)
                yield return $"{where}: host \"{host}\" is not allowed: no ingress domain is configured for demos (Operator:Admission:IngressDomain); ask a cluster admin to set one";
            else if (!Under(host, zone))
                yield return $"{where}: host \"{host}\" is not under this demo's domain {zone} (Operator:Admission:IngressDomain); use {zone} or a name under it such as app.{zone}";
        }

        var allowList = AdmissionOptions.Clean(options.IngressAnnotationAllowList);
        foreach (var key in annotations.Keys.Order(StringComparer.Ordinal))
        {
            if (key == ClassAnnotation || !key.Contains('/', StringComparison.Ordinal) ||
                AlwaysAllowedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))) continue;
            if (NeverAllowed(key))
                yield return $"annotation {key} is never allowed on a demo's Ingress: it has been used to run configuration on the ingress controller " +
                             "or read Secrets through it; remove it";
            else if (!allowList.Any(entry => Matches(entry, key)))
                yield return $"annotation {key} is not allowed (Operator:Admission:IngressAnnotationAllowList); remove it, or ask a cluster admin to allow it";
        }
    }

    internal static bool NeverAllowed(string key)
    {
        if (key.Contains("snippet", StringComparison.OrdinalIgnoreCase)) return true;
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var prefix = key[..slash];
        var name = key[(slash + 1)..];
        return prefix.EndsWith("nginx.ingress.kubernetes.io", StringComparison.Ordinal) && NeverAllowedNginx.Contains(name, StringComparer.Ordinal);
    }

    private static bool Matches(string entry, string key) =>
        entry.EndsWith('*') ? key.StartsWith(entry[..^1], StringComparison.Ordinal) : string.Equals(entry, key, StringComparison.Ordinal);

    private static string? Domain(string? configured) =>
        configured?.Trim().Trim('.').ToLowerInvariant() is { Length: > 0 } d ? d : null;

    /// <summary>The zone itself, or any name under it (a wildcard's "*" is just its leftmost label).</summary>
    internal static bool Under(string host, string zone)
    {
        var h = host.Trim().TrimEnd('.').ToLowerInvariant();
        return h == zone || h.EndsWith("." + zone, StringComparison.Ordinal);
    }
}
