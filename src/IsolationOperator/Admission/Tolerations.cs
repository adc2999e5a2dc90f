using System.Text.Json;
using IsolationOperator.Desired;
using k8s.Models;

namespace IsolationOperator.Admission;

/// <summary>Tolerations as Kubernetes compares them (client-go's tolerations.VerifyAgainstWhitelist).</summary>
public static class Tolerations
{
    public static V1Toleration Read(JsonElement e) => new()
    {
        Key = e.Str("key"),
        OperatorProperty = e.Str("operator"),
        Value = e.Str("value"),
        Effect = e.Str("effect"),
        TolerationSeconds = e.Long("tolerationSeconds"),
    };

    /// <summary>True when <paramref name="allowed"/> tolerates at least everything <paramref name="t"/> does.</summary>
    public static bool Covers(V1Toleration allowed, V1Toleration t)
    {
        var (aKey, aOp, aValue, aEffect) = Normal(allowed);
        var (key, op, value, effect) = Normal(t);
        if (key != aKey && !(aKey.Length == 0 && aOp == "Exists")) return false;
        if (effect != aEffect && aEffect.Length != 0) return false;
        if (aEffect == "NoExecute" && allowed.TolerationSeconds is { } limit && (t.TolerationSeconds is not { } seconds || seconds > limit)) return false;
        return aOp == "Exists" || (op == "Equal" && value == aValue);
    }

    /// <summary>Allowed for a tenant's pod: its own tolerations, and what DefaultTolerationSeconds adds to every pod.</summary>
    public static bool IsAllowed(V1Toleration t, IEnumerable<V1Toleration> tenant) =>
        tenant.Concat(NodeIsolation.AlwaysAllowed).Any(a => Covers(a, t));

    /// <summary>The same toleration (operator "" is Equal).</summary>
    public static bool Same(V1Toleration a, V1Toleration b) => Normal(a) == Normal(b) && a.TolerationSeconds == b.TolerationSeconds;

    public static string Describe(V1Toleration t)
    {
        var (key, op, value, effect) = Normal(t);
        var text = key.Length == 0 ? "every taint" : op == "Exists" ? $"{key} (any value)" : $"{key}={value}";
        if (effect.Length > 0) text += $":{effect}";
        if (t.TolerationSeconds is { } s) text += $" for {s}s";
        return text;
    }

    private static (string Key, string Op, string Value, string Effect) Normal(V1Toleration t) =>
        (t.Key ?? "", string.IsNullOrEmpty(t.OperatorProperty) ? "Equal" : t.OperatorProperty, t.Value ?? "", t.Effect ?? "");
}
