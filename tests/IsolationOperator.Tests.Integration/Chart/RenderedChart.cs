using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace IsolationOperator.Tests.Integration.Chart;

/// <summary>One object of a rendered chart: its identity, and its YAML to deserialize into a typed model.</summary>
public sealed record RenderedObject(string ApiVersion, string Kind, string Name, string? Namespace, string Yaml)
{
    public T As<T>() => KubernetesYaml.Deserialize<T>(Yaml);

    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}

/// <summary>
/// The objects of <c>helm template</c> or <c>helm get manifest</c> output (multi-document YAML, split with YamlDotNet),
/// and the RBAC rules they bind to a ServiceAccount.
/// </summary>
public sealed class RenderedChart
{
    private RenderedChart(IReadOnlyList<RenderedObject> objects) => Objects = objects;

    public IReadOnlyList<RenderedObject> Objects { get; }

    public static RenderedChart Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var objects = new List<RenderedObject>();
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is not YamlMappingNode root) continue; // an empty document (only a "# Source:" comment)
            string? Scalar(YamlMappingNode node, string key) =>
                node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
            var meta = root.Children.TryGetValue(new YamlScalarNode("metadata"), out var m) ? m as YamlMappingNode : null;
            var text = new StringWriter();
            new YamlStream(doc).Save(text, assignAnchors: false);
            objects.Add(new RenderedObject(
                Scalar(root, "apiVersion") ?? throw new InvalidOperationException("a document without apiVersion:\n" + text),
                Scalar(root, "kind") ?? throw new InvalidOperationException("a document without kind:\n" + text),
                (meta is null ? null : Scalar(meta, "name")) ?? throw new InvalidOperationException("a document without metadata.name:\n" + text),
                meta is null ? null : Scalar(meta, "namespace"),
                text.ToString()));
        }

        return new RenderedChart(objects);
    }

    /// <summary><c>helm template</c> of this repository's chart; fails the test if helm does.</summary>
    public static async Task<RenderedChart> TemplateAsync(string release, string ns, params string[] extraArgs)
    {
        var result = await Helm.RunAsync(["template", release, Helm.ChartPath, "--namespace", ns, .. extraArgs]);
        result.ExitCode.Should().Be(0, result.ToString());
        return Parse(result.Stdout);
    }

    public IEnumerable<RenderedObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public RenderedObject? Find(string kind, string name, string? ns = null) =>
        Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name && (ns is null || o.Namespace == ns));

    public V1Deployment Deployment => OfKind("Deployment").Should().ContainSingle().Subject.As<V1Deployment>();

    public string ServiceAccountName => Deployment.Spec.Template.Spec.ServiceAccountName;

    /// <summary>
    /// Every rule that a ClusterRoleBinding or RoleBinding of this chart grants the ServiceAccount, each with the
    /// role it comes from and where it applies. A binding to a role the chart does not define throws: its rules
    /// could not be checked.
    /// </summary>
    public IReadOnlyList<GrantedRule> RulesBoundTo(string serviceAccount, string serviceAccountNamespace)
    {
        bool BindsIt(IEnumerable<Rbacv1Subject>? subjects) => (subjects ?? []).Any(s =>
            s.Kind == "ServiceAccount" && s.Name == serviceAccount && s.NamespaceProperty == serviceAccountNamespace);

        IList<V1PolicyRule> RulesOf(V1RoleRef roleRef, string? bindingNamespace, string binding)
        {
            var role = roleRef.Kind == "ClusterRole" ? Find("ClusterRole", roleRef.Name) : Find("Role", roleRef.Name, bindingNamespace);
            if (role is null) throw new InvalidOperationException($"{binding} binds {roleRef.Kind} {roleRef.Name}, which the chart does not define");
            return (roleRef.Kind == "ClusterRole" ? role.As<V1ClusterRole>().Rules : role.As<V1Role>().Rules) ?? [];
        }

        var granted = new List<GrantedRule>();
        foreach (var b in OfKind("ClusterRoleBinding").Select(o => o.As<V1ClusterRoleBinding>()).Where(b => BindsIt(b.Subjects)))
        {
            var binding = $"ClusterRoleBinding {b.Metadata.Name}";
            granted.AddRange(RulesOf(b.RoleRef, null, binding).Select(r => new GrantedRule(b.RoleRef.Kind, b.RoleRef.Name, null, r)));
        }

        foreach (var b in OfKind("RoleBinding").Select(o => o.As<V1RoleBinding>()).Where(b => BindsIt(b.Subjects)))
        {
            var ns = b.Metadata.NamespaceProperty ?? throw new InvalidOperationException($"RoleBinding {b.Metadata.Name} has no namespace");
            var binding = $"RoleBinding {ns}/{b.Metadata.Name}";
            granted.AddRange(RulesOf(b.RoleRef, ns, binding).Select(r => new GrantedRule(b.RoleRef.Kind, b.RoleRef.Name, ns, r)));
        }

        return granted;
    }
}

/// <summary>One (API group, resource, verb); the resource may name a subresource ("demotenants/status").</summary>
public readonly record struct Permission(string Group, string Resource, string Verb)
{
    public override string ToString() => $"{(Group.Length == 0 ? "core" : Group)}/{Resource} {Verb}";

    /// <summary>Each (group, resource, verb) a rule names, ignoring resourceNames.</summary>
    public static IEnumerable<Permission> Of(V1PolicyRule rule) =>
        from g in rule.ApiGroups ?? []
        from r in rule.Resources ?? []
        from v in rule.Verbs ?? []
        select new Permission(g, r, v);
}

/// <summary>A rule granted through a binding: from Role/ClusterRole <paramref name="RoleName"/>, in <paramref name="Namespace"/> (null: everywhere).</summary>
public sealed record GrantedRule(string RoleKind, string RoleName, string? Namespace, V1PolicyRule Rule)
{
    /// <summary>Whether RBAC would allow the request by this rule alone (no wildcards: the chart has none).</summary>
    public bool Allows(string group, string resource, string verb, string? ns, string? name)
    {
        if (Namespace is not null && ns != Namespace) return false;
        if (!(Rule.ApiGroups ?? []).Contains(group) || !(Rule.Resources ?? []).Contains(resource) || !(Rule.Verbs ?? []).Contains(verb)) return false;
        // A rule limited by resourceNames matches only requests that name one of them (never create, list or watch).
        return Rule.ResourceNames is not { Count: > 0 } names || (name is not null && names.Contains(name));
    }

    public override string ToString() =>
        $"{RoleKind} {RoleName}{(Namespace is null ? "" : $" in {Namespace}")}: apiGroups [{string.Join(", ", Rule.ApiGroups ?? [])}] " +
        $"resources [{string.Join(", ", Rule.Resources ?? [])}] verbs [{string.Join(", ", Rule.Verbs ?? [])}]" +
        (Rule.ResourceNames is { Count: > 0 } n ? $" resourceNames [{string.Join(", ", n)}]" : "");
}
