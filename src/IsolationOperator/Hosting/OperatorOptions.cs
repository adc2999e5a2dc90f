using IsolationOperator.Admission;
using IsolationOperator.Desired;
using IsolationOperator.Engine;

namespace IsolationOperator.Hosting;

/// <summary>Configuration section "Operator" (env: Operator__MetricsPort=8080, ...).</summary>
public sealed class OperatorOptions
{
    /// <summary>Port for /healthz, /readyz and /metrics.</summary>
    public int MetricsPort { get; set; } = 8080;
    public string BindAddress { get; set; } = "0.0.0.0";
    /// <summary>Tenants reconciled at once (each tenant is only ever reconciled by one worker at a time).</summary>
    public int Workers { get; set; } = 4;
    /// <summary>Every tenant is looked at again this often, from the cache (no API reads).</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>How long before expiry a demo turns Expiring and an ExpiringSoon warning is recorded.</summary>
    public TimeSpan ExpiringWindow { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Expiry (irreversible) waits while the local clock and the API server's differ by more than this.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>A leader whose caches are not synced by then gives up (the process exits non-zero) and /healthz fails.</summary>
    public TimeSpan CacheSyncTimeout { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Server-side watch timeout (plus up to 25% jitter); a watch silent for longer than that plus 30 s is abandoned.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(4);
    public bool LeaderElection { get; set; } = true;
    public string? LeaseNamespace { get; set; }
    public string LeaseName { get; set; } = "isolation-operator-leader";
    /// <summary>A standby takes the Lease after it saw no change for this long.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>The leader stops writing when no renewal succeeded for this long.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How often the leader renews and a standby looks at the Lease.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Only DemoTenants matching this label selector are handled (sharding, canaries, tests).</summary>
    public string? TenantSelector { get; set; }
    /// <summary>Every demo namespace starts with this; the CRD's spec.namespace pattern must say the same.</summary>
    public string NamespacePrefix { get; set; } = PlannerPolicy.Default.NamespacePrefix;
    /// <summary>Added to the built-in deny-list (Operator__ReservedNamespaces__0=payments, ...); never replaces it.</summary>
    public List<string> ReservedNamespaces { get; set; } = [];
    /// <summary>"Kind:name" system: subjects a demo may still bind, e.g. "Group:system:serviceaccounts:ci".</summary>
    public List<string> AllowedSystemSubjects { get; set; } = [];
    /// <summary>The most a demo's spec.quota may ask for, per key (Operator__QuotaCaps__requests.cpu=16, ...); overlays the built-in caps.</summary>
    public Dictionary<string, string> QuotaCaps { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Ranges no demo may reach by egressCIDRs (Operator__EgressDenyCidrs__0=10.96.0.0/12, ...); added to the built-in cloud-metadata ranges.</summary>
    public List<string> EgressDenyCidrs { get; set; } = [];
    /// <summary>Whether egressCIDRs may name 0.0.0.0/0 or ::/0; the deny-list is still excepted.</summary>
    public bool AllowEgressToAnywhere { get; set; }
    /// <summary>The longest token `kubectl demo kubeconfig` issues for a guest (reported in status.guests[].tokenMaxSeconds).</summary>
    public TimeSpan GuestTokenMaxLifetime { get; set; } = Desired.Guests.DefaultTokenMaxLifetime;
    /// <summary>This replica's name in leases and events, taken as it is; default the pod name (or hostname) plus a random suffix.</summary>
    public string? Identity { get; set; }

    /// <summary>The admission webhooks (Operator__Webhook__Enabled, __Port, __Host, ...): see <see cref="WebhookOptions"/>.</summary>
    public WebhookOptions Webhook { get; set; } = new();

    /// <summary>The admission policies (Operator__Admission__AdminGroup, __MaxLifetime, ...): see <see cref="AdmissionOptions"/>.</summary>
    public AdmissionOptions Admission { get; set; } = new();

    /// <summary>
    /// The ClusterRole the operator binds to itself in each demo namespace (Operator__TenantNamespaceRole; the chart
    /// sets it). Unset: the operator holds those permissions itself (a local run as cluster admin).
    /// </summary>
    public string? TenantNamespaceRole { get; set; }

    /// <summary>The operator's own user name (Operator__Admission__OperatorUser), whom that binding names and the guard judges.</summary>
    public string? SelfUser => string.IsNullOrWhiteSpace(Admission.OperatorUser) ? null : Admission.OperatorUser.Trim();

    /// <summary>
    /// Operator__RequirePodSecurity: bind nobody in a namespace where a server-side dry run of a privileged pod is
    /// admitted (the tenant is Degraded, PodSecurityEnforced=False). The chart turns it on; off, the condition only reports.
    /// </summary>
    public bool RequirePodSecurity { get; set; }

    /// <summary>Operator__PodSecurityCheckPeriod: how often each namespace's Pod Security is probed again.</summary>
    public TimeSpan PodSecurityCheckPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Operator__SecretReadPeriod: generated Secrets are read by name (the operator may not list or watch Secrets), and
    /// what was read or written is trusted this long; a Secret someone else deleted or changed is seen within it.
    /// Each generated Secret costs one GET per period.
    /// </summary>
    public TimeSpan SecretReadPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Operator__VerificationPeriod: every demo's isolation is verified (SubjectAccessReviews as its subjects, and the
    /// bindings and policies that open paths) after each change and again this often; 00:00:00 turns it off.
    /// </summary>
    public TimeSpan VerificationPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Operator__Audit__*: the tamper-evident audit trail of every demo (Audit/AuditOptions.cs).</summary>
    public Audit.AuditOptions Audit { get; set; } = new();

    /// <summary>Where trails and their key live: Operator__Audit__Namespace, else the operator's own namespace.</summary>
    public string EffectiveAuditNamespace => Audit.EffectiveNamespace(Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? ReadServiceAccountNamespace() ?? "default");

    private string? _effectiveIdentity;

    /// <summary>Chosen once per process: the suffix is random, and the Lease and events must name the same replica.</summary>
    public string EffectiveIdentity => _effectiveIdentity ??=
        ReplicaIdentity.Create(Identity, Environment.GetEnvironmentVariable("POD_NAME"), Environment.MachineName);

    /// <summary>The leader-election timings; bad ones throw at startup with one line (client-go's checks).</summary>
    public LeaseTimings ToLeaseTimings() => new LeaseTimings(LeaseDuration, RenewDeadline, RetryPeriod).Validated();

    public string EffectiveLeaseNamespace => LeaseNamespace ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? ReadServiceAccountNamespace() ?? "default";

    /// <summary>The planner's policy; a malformed setting throws at startup rather than failing every tenant later.</summary>
    public PlannerPolicy ToPlannerPolicy()
    {
        if (!BeginsNamespaceName(NamespacePrefix))
            throw new InvalidOperationException($"Operator__NamespacePrefix \"{NamespacePrefix}\" cannot start a namespace name: use lowercase letters, digits and '-', such as \"demo-\"");
        var allowed = Clean(AllowedSystemSubjects).Distinct(StringComparer.Ordinal).ToList();
        // A typo such as "group:..." would otherwise silently allow nothing.
        if (allowed.FirstOrDefault(e => !e.StartsWith("User:", StringComparison.Ordinal) && !e.StartsWith("Group:", StringComparison.Ordinal)) is { } entry)
            throw new InvalidOperationException($"Operator__AllowedSystemSubjects entry \"{entry}\" must be \"User:<name>\" or \"Group:<name>\", such as \"Group:system:serviceaccounts:ci\"");
        if (!string.IsNullOrWhiteSpace(TenantNamespaceRole) && string.IsNullOrWhiteSpace(SelfUser))
            throw new InvalidOperationException("Operator__TenantNamespaceRole is set but Operator__Admission__OperatorUser is not: the operator must know whom to bind, such as \"system:serviceaccount:isolation-system:isolation-operator\"");
        return new PlannerPolicy
        {
            OperatorAccess = string.IsNullOrWhiteSpace(TenantNamespaceRole) ? null : new OperatorAccess(TenantNamespaceRole.Trim(), SelfUser!),
            NamespacePrefix = NamespacePrefix,
            ReservedNamespaces = PlannerPolicy.BuiltInReservedNamespaces.Concat(Clean(ReservedNamespaces)).Distinct(StringComparer.Ordinal).ToList(),
            AllowedSystemSubjects = allowed,
            QuotaCaps = Desired.QuotaCaps.Merge(QuotaCaps),
            EgressDenyCidrs = EgressRules.ParseDenyList(EgressRules.DefaultDenyCidrs.Concat(Clean(EgressDenyCidrs))),
            AllowEgressToAnywhere = AllowEgressToAnywhere,
            GuestTokenMaxLifetime = GuestTokenMaxLifetime >= TimeSpan.FromMinutes(10) ? GuestTokenMaxLifetime
                : throw new InvalidOperationException($"Operator__GuestTokenMaxLifetime \"{GuestTokenMaxLifetime}\" is shorter than the API server's 10-minute minimum token lifetime; use at least 00:10:00"),
        };
    }

    /// <summary>Empty is allowed (only the deny-list then guards namespaces); otherwise the start of a DNS label.</summary>
    private static bool BeginsNamespaceName(string prefix) =>
        prefix.Length == 0 || (prefix.Length <= 62 && prefix[0] != '-' &&
                               prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'));

    /// <summary>Environment values arrive with stray spaces and empty entries; neither names anything.</summary>
    private static IEnumerable<string> Clean(IEnumerable<string> values) =>
        values.Select(v => v.Trim()).Where(v => v.Length > 0);

    private static string? ReadServiceAccountNamespace()
    {
        const string path = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }
}
