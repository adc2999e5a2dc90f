using System.Text.Json;

namespace IsolationOperator.Admission;

/// <summary>
/// PersistentVolumeClaims: a StorageClass from Operator:Admission:StorageClasses (empty: the default class only, i.e.
/// storageClassName unset), and no claim on an existing volume (spec.volumeName, spec.selector, or
/// storageClassName "" which only binds pre-made volumes): another demo's or the platform's data could be in it.
/// </summary>
public static class VolumeClaimRules
{
    private const string BetaClassAnnotation = "volume.beta.kubernetes.io/storage-class";

    public static IEnumerable<string> Findings(JsonElement claim, WorkloadContext context)
    {
        var allowed = AdmissionOptions.Clean(context.Options.StorageClasses);
        var field = claim.Str("spec", "storageClassName");
        var annotation = claim.Map("metadata", "annotations").GetValueOrDefault(BetaClassAnnotation);
        foreach (var (where, value) in new[] { ("spec.storageClassName", field), ($"annotation {BetaClassAnnotation}", annotation) })
        {
            if (value is null || allowed.Contains(value, StringComparer.Ordinal)) continue;
            yield return value.Length == 0
                ? $"{where} \"\" is not allowed: it binds only existing volumes; remove it to use the default class"
                : $"{where} \"{value}\" is not allowed (Operator:Admission:StorageClasses); " +
                  (allowed.Count == 0 ? "remove it to use the cluster's default class" : $"use one of {string.Join(", ", allowed)} or remove it for the default class");
        }
        // The PV controller writes volumeName when it binds the claim; only people are refused.
        if (claim.Str("spec", "volumeName") is { Length: > 0 } volume &&
            !(context.Call.Operation == "UPDATE" && AdmissionUsers.IsControllerManager(context.Call)))
            yield return $"spec.volumeName \"{volume}\" is not allowed: a demo may not claim an existing volume; remove it and a new volume is provisioned";
        if (claim.Get("spec", "selector") is not null)
            yield return "spec.selector is not allowed: a demo may not claim an existing volume by its labels; remove it and a new volume is provisioned";
    }
}
