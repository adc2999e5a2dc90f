namespace IsolationOperator.Admission;

/// <summary>
/// Every webhook the operator serves. The server routes by each reviewer's Path and the configurations are generated
/// from what each declares, so adding a webhook is adding it here (and listing its path in the chart's templates).
/// </summary>
public static class AdmissionReviewers
{
    public static IReadOnlyList<IAdmissionReviewer> All(AdmissionContext context) =>
        Every(context).Where(r => r.Scope != WebhookScope.ManagedNamespaces || context.Options.Webhook.WorkloadPolicies)
            // The guard needs to know whose requests to judge: the chart names the operator's user (Operator__Admission__OperatorUser).
            .Concat(context.Options.Webhook.GuardOperator && !string.IsNullOrWhiteSpace(context.Options.SelfUser)
                ? [new OperatorGuardReviewer(context, context.Options.SelfUser)] : Array.Empty<IAdmissionReviewer>())
            .ToList();

    private static IReadOnlyList<IAdmissionReviewer> Every(AdmissionContext context) =>
    [
        new TenantValidationReviewer(context),
        new TenantRequesterReviewer(context),
        new DemoTenantPolicyReviewer(context.Options.Admission, context.Time),
        new TenantWorkloadReviewer(ns => TenantOfNamespace(context, ns), context.Options.Admission),
        new TenantPodMutator(ns => TenantOfNamespace(context, ns), context.Options.Admission),
    ];

    /// <summary>The DemoTenant whose namespace this is, from the replica's warm caches; null while they are cold.</summary>
    private static Api.V1Alpha1.DemoTenant? TenantOfNamespace(AdmissionContext context, string ns) =>
        context.Cache is { } cache && cache.TenantOfNamespace(ns) is { } name ? cache.Tenants.Get(null, name) : null;
}
