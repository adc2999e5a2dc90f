using System.Text.Json.Nodes;
using IsolationOperator.Desired;

namespace IsolationOperator.Cli.Model;

/// <summary>
/// The spec changes of extend, suspend, resume, grant and revoke, as JSON merge patches. spec.access is a list, which a
/// merge patch replaces whole: grant and revoke build the new list from the one read, and the patch carries the
/// resourceVersion read, so a concurrent change makes the server answer 409 instead of being overwritten.
/// </summary>
public static class SpecPatches
{
    public static JsonObject Suspended(bool suspended) => Spec(new JsonObject { ["suspended"] = suspended });

    /// <summary>--by: moves spec.expiresAt when set, else lengthens spec.ttl; --until: sets spec.expiresAt.</summary>
    public static JsonObject Extend(JsonObject? spec, TimeSpan? by, DateTimeOffset? until, string tenant)
    {
        if (until is { } u) return Spec(new JsonObject { ["expiresAt"] = DemoDuration.Rfc3339(u) });
        var span = by ?? throw new CliException("extend needs --by DURATION or --until DATE");
        if (spec?["expiresAt"]?.GetValue<string>() is { } at)
        {
            var current = DemoDuration.ParseMoment(at, "spec.expiresAt");
            return Spec(new JsonObject { ["expiresAt"] = DemoDuration.Rfc3339(current + span) });
        }
        if (spec?["ttl"]?.GetValue<string>() is { } ttlText)
        {
            if (!GoDuration.TryParse(ttlText, out var ttl)) throw new CliException($"{tenant} has spec.ttl \"{ttlText}\", which is not a duration; use --until DATE");
            return Spec(new JsonObject { ["ttl"] = DemoDuration.ToGo(ttl + span) });
        }
        throw new CliException($"{tenant} has no expiry (neither spec.ttl nor spec.expiresAt) to extend; use --until DATE to give it one");
    }

    /// <summary>Adds the entry, or changes the role and expiry of the entry of the same kind and name.</summary>
    public static JsonArray Grant(JsonArray? access, AccessArg grant, DateTimeOffset? expiresAt)
    {
        var list = Copy(access);
        var entry = new JsonObject { ["kind"] = grant.Kind, ["name"] = grant.Name, ["role"] = grant.Role };
        if (expiresAt is { } e) entry["expiresAt"] = DemoDuration.Rfc3339(e);
        var i = IndexOf(list, grant);
        if (i >= 0) list[i] = entry;
        else list.Add(entry);
        return list;
    }

    /// <summary>The list without the entry of that kind and name; not found: exit 3.</summary>
    public static JsonArray Revoke(JsonArray? access, AccessArg revoke, string tenant)
    {
        var list = Copy(access);
        var i = IndexOf(list, revoke);
        if (i < 0) throw new CliException($"{tenant} has no access entry {revoke}", ExitCode.ForbiddenOrNotFound);
        list.RemoveAt(i);
        return list;
    }

    public static JsonObject Access(JsonArray access, string? resourceVersion) => new()
    {
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
        ["spec"] = new JsonObject { ["access"] = access },
    };

    private static JsonObject Spec(JsonObject spec) => new() { ["spec"] = spec };

    private static JsonArray Copy(JsonArray? access) => access is null ? [] : (JsonArray)access.DeepClone();

    private static int IndexOf(JsonArray list, AccessArg a)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] is JsonObject o && (string?)o["kind"] == a.Kind && (string?)o["name"] == a.Name) return i;
        return -1;
    }
}
