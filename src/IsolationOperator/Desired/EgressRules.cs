using System.Net;

namespace IsolationOperator.Desired;

/// <summary>
/// spec.network.egressCIDRs against the platform's deny-list (Operator__EgressDenyCidrs__N: cloud metadata, the pod,
/// service and node ranges, the API server). A CIDR inside a denied range is refused; a wider one is allowed with the
/// denied ranges inside it emitted as ipBlock.except; "anywhere" (/0) only when Operator__AllowEgressToAnywhere is true.
/// </summary>
public static class EgressRules
{
    /// <summary>Where clouds serve instance metadata and node credentials: link-local 169.254.169.254, and AWS's IPv6 endpoint.</summary>
    public static readonly IReadOnlyList<string> DefaultDenyCidrs = ["169.254.0.0/16", "fd00:ec2::254/128"];

    private static readonly IReadOnlyList<IPNetwork> Metadata = DefaultDenyCidrs.Select(c => IPNetwork.Parse(c)).ToList();

    public sealed record Result(IReadOnlyList<string> Cidrs, IReadOnlyDictionary<string, IReadOnlyList<string>> Except, IReadOnlyList<string> Problems);

    public static Result Check(IEnumerable<string> requested, IReadOnlyList<IPNetwork> deny, bool allowAnywhere)
    {
        var cidrs = new List<string>();
        var except = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var text in requested)
        {
            if (!IPNetwork.TryParse(text, out var net))
            {
                problems.Add($"spec.network.egressCIDRs: \"{text}\" is not a CIDR such as 203.0.113.0/24");
                continue;
            }
            if (net.PrefixLength == 0 && !allowAnywhere)
            {
                problems.Add($"spec.network.egressCIDRs: \"{text}\" would let the demo reach the whole internet and every address in the cluster; " +
                             "list the addresses the demo needs (such as 203.0.113.0/24), or ask a platform admin to allow it (Operator__AllowEgressToAnywhere)");
                continue;
            }
            var sameFamily = deny.Where(d => d.BaseAddress.AddressFamily == net.BaseAddress.AddressFamily).ToList();
            if (sameFamily.Where(d => Within(net, d)).Cast<IPNetwork?>().FirstOrDefault() is { } blocked)
            {
                problems.Add($"spec.network.egressCIDRs: \"{text}\" is inside {blocked}, which demos may never reach " +
                             $"({Describe(blocked)}); remove it, or ask a platform admin if the demo really needs it");
                continue;
            }
            var key = net.ToString();
            if (cidrs.Contains(key)) continue;
            cidrs.Add(key);
            var inside = sameFamily.Where(d => Within(d, net)).Select(d => d.ToString()).Distinct().ToList();
            if (inside.Count > 0) except[key] = inside;
        }
        return new Result(cidrs, except, problems);
    }

    /// <summary>Parsed deny-list; a bad entry throws (at startup, not per tenant).</summary>
    public static IReadOnlyList<IPNetwork> ParseDenyList(IEnumerable<string> entries) =>
        entries.Select(e => e.Trim()).Where(e => e.Length > 0).Select(e => IPNetwork.TryParse(e, out var n) ? n
            : throw new InvalidOperationException($"Operator__EgressDenyCidrs entry \"{e}\" is not a CIDR such as 169.254.0.0/16 or 10.96.0.0/12"))
            .Distinct().ToList();

    /// <summary>Whether inner lies within outer (same family), equal included.</summary>
    private static bool Within(IPNetwork inner, IPNetwork outer) =>
        inner.PrefixLength >= outer.PrefixLength && outer.Contains(inner.BaseAddress);

    private static string Describe(IPNetwork blocked) =>
        Metadata.Any(m => m.BaseAddress.AddressFamily == blocked.BaseAddress.AddressFamily && Within(blocked, m))
            ? "the cloud's metadata service, which hands out the node's credentials"
            : "a platform range: cluster pods, services, nodes or the API server";
}
