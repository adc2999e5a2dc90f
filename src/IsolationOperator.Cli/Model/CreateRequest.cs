using IsolationOperator.Api.V1Alpha1;
using k8s.Models;

namespace IsolationOperator.Cli.Model;

/// <summary>What `create` was asked for, before it becomes a DemoTenant.</summary>
public sealed record CreateRequest
{
    public required string Name { get; init; }
    public required string Prospect { get; init; }
    public required string Owner { get; init; }
    public string? Ttl { get; init; }
    public string? Profile { get; init; }
    public IReadOnlyList<string> Grants { get; init; } = [];
    public IReadOnlyList<string> Guests { get; init; } = [];
    public IReadOnlyList<string> Secrets { get; init; } = [];
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>The DemoTenant to apply; every argument is checked here, so a bad one fails before any request.</summary>
    public DemoTenant ToTenant()
    {
        var access = Grants.Select(g => AccessArg.Parse(g, roleRequired: true))
            .Concat(Guests.Select(AccessArg.ParseGuest))
            .ToList();
        var twice = access.GroupBy(a => (a.Kind, a.Name)).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new CliException($"{twice.Key.Kind.ToLowerInvariant()}:{twice.Key.Name} is given twice");
        var labels = new Dictionary<string, string>();
        foreach (var l in Labels)
        {
            var eq = l.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new CliException($"--label \"{l}\" is not KEY=VALUE");
            labels[l[..eq]] = l[(eq + 1)..];
        }
        return new DemoTenant
        {
            Metadata = new V1ObjectMeta { Name = Name, Labels = labels.Count == 0 ? null : labels },
            Spec = new DemoTenantSpec
            {
                Prospect = Prospect,
                Owner = Owner,
                Profile = Profile,
                Ttl = Ttl is null ? null : DemoDuration.ToGo(DemoDuration.Parse(Ttl, "--ttl")),
                Access = access.Count == 0 ? null : access.Select(a => a.ToEntry()).ToList(),
                Secrets = Secrets.Count == 0 ? null : Secrets.Select(SecretArg.Parse).ToList(),
            },
        };
    }
}
