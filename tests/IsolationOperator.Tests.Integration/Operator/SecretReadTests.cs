using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>
/// Issue 12 part 2 (reads): the operator never lists or watches Secrets, so it needs no Secret permission outside
/// demo namespaces. It reads its generated Secrets by name, once per Operator__SecretReadPeriod, and still sees one
/// that someone deleted.
/// </summary>
public sealed class SecretReadTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private IKubernetes Admin => fixture.Plane.AdminClient();

    [LocalPlaneFact]
    public async Task A_deleted_generated_secret_is_made_again_within_the_read_period_without_any_list_or_watch_of_secrets()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var op = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("secret-reads"), o =>
        {
            o.ResyncPeriod = TimeSpan.FromSeconds(2);
            o.SecretReadPeriod = TimeSpan.FromSeconds(4);
        });
        var tenant = op.Own(Tenants.FromSample("acme.yaml", UniqueName.For("reads")));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var ns = tenant.Spec.Namespace!;
        var before = await Admin.CoreV1.ReadNamespacedSecretAsync("demo-db", ns);

        await Admin.CoreV1.DeleteNamespacedSecretAsync("demo-db", ns);

        var again = await Eventually.GetAsync("demo-db made again", async () =>
        {
            var list = await Admin.CoreV1.ListNamespacedSecretAsync(ns, fieldSelector: "metadata.name=demo-db");
            return list.Items.SingleOrDefault();
        }, TimeSpan.FromSeconds(20));
        again.Metadata.Uid.Should().NotBe(before.Metadata.Uid);
        again.Data.Keys.Should().BeEquivalentTo("username", "password");

        var secretRequests = AuditLog.Read(fixture.Plane.AuditLogPath!, op.User, since).Where(e => e.Resource == "secrets").ToList();
        secretRequests.Should().NotContain(e => e.Verb == "list" || e.Verb == "watch", "the operator reads Secrets by name only");
        secretRequests.Should().OnlyContain(e => e.Namespace == ns || (e.Namespace == ChartPermissions.ReleaseNamespace && (e.Name == null || e.Name == ChartPermissions.AuditKeySecret)),
            "and only in the demo's namespace, besides the audit key in its own");
    }

    [LocalPlaneFact]
    public async Task A_new_demo_creates_its_secrets_without_reading_them_first()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var op = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("secret-first"));
        var tenant = op.Own(Tenants.FromSample("acme.yaml", UniqueName.For("first")));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var ns = tenant.Spec.Namespace!;
        (await Admin.CoreV1.ReadNamespacedSecretAsync("demo-db", ns)).Data.Keys.Should().BeEquivalentTo("username", "password");

        // The namespace was created by this pass, so the Secret cannot be there yet: a read would only cost a request.
        var secretRequests = AuditLog.Read(fixture.Plane.AuditLogPath!, op.User, since).Where(e => e.Resource == "secrets" && e.Namespace == ns).OrderBy(e => e.Received).ToList();
        secretRequests.Should().NotBeEmpty();
        secretRequests[0].Should().Match<AuditedRequest>(e => e.Verb == "create" && e.Code == 201, "the first look at a new namespace's Secret is its create");
    }
}
