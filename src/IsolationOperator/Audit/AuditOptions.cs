namespace IsolationOperator.Audit;

/// <summary>Operator__Audit__*: the audit trail (README "Audit trail"; chart values audit.*).</summary>
public sealed class AuditOptions
{
    /// <summary>Operator__Audit__Enabled: keep the trail (default true).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Operator__Audit__Namespace: where trails and the key live; default the operator's own namespace.</summary>
    public string? Namespace { get; set; }
    /// <summary>Operator__Audit__KeySecret: the Secret holding the HMAC keys (created on first start).</summary>
    public string KeySecret { get; set; } = "isolation-operator-audit-key";
    /// <summary>Operator__Audit__Retention: how long a deleted demo's trail is kept (default 365 days).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(365);
    /// <summary>Operator__Audit__AnchorPeriod: how often the chain heads that moved are written to stdout as an anchor line.</summary>
    public TimeSpan AnchorPeriod { get; set; } = TimeSpan.FromMinutes(15);

    public string EffectiveNamespace(string fallback) => string.IsNullOrWhiteSpace(Namespace) ? fallback : Namespace.Trim();
}
