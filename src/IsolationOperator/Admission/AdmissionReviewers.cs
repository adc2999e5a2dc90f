namespace IsolationOperator.Admission;

/// <summary>
/// Every webhook the operator serves. The server routes by each reviewer's Path and the configurations are generated
/// from what each declares, so adding a webhook is adding it here (and listing its path in the chart's templates).
/// </summary>
public static class AdmissionReviewers
{
    public static IReadOnlyList<IAdmissionReviewer> All(AdmissionContext context) =>
    [
        new TenantValidationReviewer(context),
        new TenantRequesterReviewer(context),
    ];
}
