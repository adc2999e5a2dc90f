using System.Text.Json;

namespace IsolationOperator.Admission;

/// <summary>
/// The Pod Security Standards' "restricted" profile (which includes "baseline"), for the fields of Kubernetes 1.20
/// (https://kubernetes.io/docs/concepts/security/pod-security-standards/), so the promise of the namespace's
/// pod-security labels holds on clusters without Pod Security admission. Off with
/// Operator:Admission:EnforcePodSecurity=false where PSA enforces those labels (1.23+).
/// </summary>
public static class PodSecurityRules
{
    private const string Rule = "Pod Security restricted";

    /// <summary>The only volume types "restricted" allows.</summary>
    public static readonly IReadOnlySet<string> AllowedVolumeTypes = new HashSet<string>(StringComparer.Ordinal)
        { "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret" };

    /// <summary>Namespaced sysctls "baseline" allows (the 1.20 safe set).</summary>
    public static readonly IReadOnlySet<string> SafeSysctls = new HashSet<string>(StringComparer.Ordinal)
        { "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range" };

    private static readonly string[] SeLinuxTypes = ["container_t", "container_init_t", "container_kvm_t"];

    public static IEnumerable<string> Findings(PodShape pod)
    {
        var spec = pod.Spec;
        foreach (var (field, what) in new[] { ("hostNetwork", "network"), ("hostPID", "processes"), ("hostIPC", "inter-process communication") })
            if (spec.Bool(field) == true)
                yield return $"{Rule}: spec.{field}: true shares the node's {what} with the pod; remove it";

        foreach (var volume in spec.Items("volumes"))
        {
            var name = volume.Str("name") ?? "";
            var type = volume.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n != "name") ?? "";
            if (type == "hostPath")
                yield return $"{Rule}: volume \"{name}\" is a hostPath volume, which opens the node's files to the pod; use an emptyDir or a persistentVolumeClaim";
            else if (type.Length > 0 && !AllowedVolumeTypes.Contains(type))
                yield return $"{Rule}: volume \"{name}\" of type {type} is not allowed; use one of {string.Join(", ", AllowedVolumeTypes.Order(StringComparer.Ordinal))}";
        }

        var podContext = spec.Get("securityContext");
        foreach (var sysctl in podContext.Items("sysctls"))
            if (sysctl.Str("name") is { } n && !SafeSysctls.Contains(n))
                yield return $"{Rule}: sysctl {n} is not allowed; only {string.Join(", ", SafeSysctls.Order(StringComparer.Ordinal))} may be set";
        foreach (var finding in SeLinux(podContext, "spec.securityContext")) yield return finding;
        if (podContext.Bool("windowsOptions", "hostProcess") == true)
            yield return $"{Rule}: spec.securityContext.windowsOptions.hostProcess runs the pod as a process of the node; remove it";
        if (podContext.Long("runAsUser") == 0)
            yield return $"{Rule}: spec.securityContext.runAsUser: 0 runs as root; use a non-zero user id such as 1000";
        var podSeccomp = podContext.Str("seccompProfile", "type");
        if (podSeccomp is not null && !IsConfined(podSeccomp))
            yield return $"{Rule}: spec.securityContext.seccompProfile.type {podSeccomp} is not allowed; use RuntimeDefault (or Localhost)";

        foreach (var (key, value) in pod.Annotations)
        {
            if ((key == "seccomp.security.alpha.kubernetes.io/pod" || key.StartsWith("container.seccomp.security.alpha.kubernetes.io/", StringComparison.Ordinal)) &&
                string.Equals(value, "unconfined", StringComparison.OrdinalIgnoreCase))
                yield return $"{Rule}: annotation {key}: unconfined turns seccomp off; remove it and set securityContext.seccompProfile.type: RuntimeDefault";
            if (key.StartsWith("container.apparmor.security.beta.kubernetes.io/", StringComparison.Ordinal) &&
                value != "runtime/default" && !value.StartsWith("localhost/", StringComparison.Ordinal))
                yield return $"{Rule}: annotation {key}: {value} is not allowed; use runtime/default";
        }

        var podNonRoot = podContext.Bool("runAsNonRoot");
        foreach (var container in pod.Containers)
            foreach (var finding in ContainerFindings(container, podNonRoot, podSeccomp))
                yield return finding;
    }

    private static IEnumerable<string> ContainerFindings(PodContainer container, bool? podNonRoot, string? podSeccomp)
    {
        var sc = container.Element.Get("securityContext");
        if (sc.Bool("privileged") == true)
            yield return $"{Rule}: {container} runs privileged, which is root on the node; remove securityContext.privileged";
        if (sc.Bool("allowPrivilegeEscalation") != false)
            yield return $"{Rule}: {container} must set securityContext.allowPrivilegeEscalation: false";

        var drop = sc.Items("capabilities", "drop").Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!);
        if (!drop.Contains("ALL", StringComparer.Ordinal))
            yield return $"{Rule}: {container} must set securityContext.capabilities.drop: [ALL]";
        var added = sc.Items("capabilities", "add").Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)
            .Where(c => c is not ("NET_BIND_SERVICE" or "CAP_NET_BIND_SERVICE")).ToList();
        if (added.Count > 0)
            yield return $"{Rule}: {container} adds capabilities {string.Join(", ", added)}; only NET_BIND_SERVICE may be added";

        var nonRoot = sc.Bool("runAsNonRoot");
        if (nonRoot == false || (nonRoot is null && podNonRoot != true))
            yield return $"{Rule}: {container} must run as non-root: set securityContext.runAsNonRoot: true (on the pod or the container)";
        if (sc.Long("runAsUser") == 0)
            yield return $"{Rule}: {container} sets securityContext.runAsUser: 0 (root); use a non-zero user id such as 1000";

        var seccomp = sc.Str("seccompProfile", "type");
        if (seccomp is not null && !IsConfined(seccomp))
            yield return $"{Rule}: {container} sets seccompProfile.type {seccomp}; use RuntimeDefault (or Localhost)";
        else if (seccomp is null && podSeccomp is null)
            yield return $"{Rule}: {container} has no seccomp profile; set securityContext.seccompProfile.type: RuntimeDefault (on the pod or the container)";

        foreach (var port in container.Element.Items("ports"))
            if (port.Long("hostPort") is { } hostPort and not 0)
                yield return $"{Rule}: {container} uses hostPort {hostPort}, a port of the node itself; remove hostPort and expose it with a Service";
        if (sc.Str("procMount") is { } procMount && procMount != "Default")
            yield return $"{Rule}: {container} sets procMount {procMount}; remove it";
        foreach (var finding in SeLinux(sc, $"{container} securityContext")) yield return finding;
        if (sc.Bool("windowsOptions", "hostProcess") == true)
            yield return $"{Rule}: {container} sets windowsOptions.hostProcess, a process of the node; remove it";
    }

    private static IEnumerable<string> SeLinux(JsonElement? securityContext, string where)
    {
        var options = securityContext.Get("seLinuxOptions");
        if (options.Str("type") is { } type && !SeLinuxTypes.Contains(type, StringComparer.Ordinal))
            yield return $"{Rule}: {where}.seLinuxOptions.type {type} is not allowed; remove it or use container_t";
        if (options.Str("user") is { Length: > 0 } || options.Str("role") is { Length: > 0 })
            yield return $"{Rule}: {where}.seLinuxOptions may not set user or role; remove them";
    }

    private static bool IsConfined(string type) => type is "RuntimeDefault" or "Localhost";
}
