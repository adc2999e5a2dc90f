using System.CommandLine;

namespace IsolationOperator.Cli.Kube;

/// <summary>
/// Where the operator keeps audit trails: its namespace and key Secret. Defaults as `isolation-operator audit` takes
/// them (Operator__Audit__Namespace, Operator__Audit__KeySecret), else the chart's defaults.
/// </summary>
public sealed class AuditLocation
{
    public Option<string> Namespace { get; } = new("--audit-namespace")
    {
        Description = "The operator's namespace, where audit trails live (default: $Operator__Audit__Namespace, else isolation-system)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Operator__Audit__Namespace") ?? "isolation-system",
    };

    public Option<string> KeySecret { get; } = new("--audit-key-secret")
    {
        Description = "The Secret with the audit HMAC keys (default: $Operator__Audit__KeySecret, else isolation-operator-audit-key)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Operator__Audit__KeySecret") ?? new IsolationOperator.Audit.AuditOptions().KeySecret,
    };
}
