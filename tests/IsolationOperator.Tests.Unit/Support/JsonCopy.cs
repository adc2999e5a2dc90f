using k8s;

namespace IsolationOperator.Tests.Unit.Support;

/// <summary>An object as a watch would deliver it: through JSON and back, of its runtime type, sharing nothing with the original.</summary>
public static class JsonCopy
{
    public static object Of(object o)
    {
        var deserialize = typeof(KubernetesJson).GetMethods()
            .Single(m => m.Name == nameof(KubernetesJson.Deserialize) && m.GetParameters()[0].ParameterType == typeof(string));
        return deserialize.MakeGenericMethod(o.GetType()).Invoke(null, [KubernetesJson.Serialize(o), null])!;
    }
}
