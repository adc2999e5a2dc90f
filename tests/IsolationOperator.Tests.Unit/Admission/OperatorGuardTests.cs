using System.Text.Json.Nodes;
using IsolationOperator.Admission;
using IsolationOperator.Desired;
using IsolationOperator.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace IsolationOperator.Tests.Unit.Admission;

/// <summary>The operator guard's rules for namespaces, and how it is registered: judged without an API server.</summary>
public class OperatorGuardTests
{
    private const string Operator = Calls.OperatorUser;

    private static OperatorGuardReviewer Guard(OperatorOptions? options = null) =>
        new(new AdmissionContext(null!, options ?? new OperatorOptions { LeaseNamespace = "isolation-system" }, () => null, TimeProvider.System, NullLoggerFactory.Instance), Operator);

    private static JsonObject Ns(string name, bool managed) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Namespace",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["labels"] = managed ? new JsonObject { [TenantLabels.ManagedBy] = TenantLabels.ManagedByValue } : new JsonObject { ["team"] = "payments" },
        },
    };

    private static AdmissionCall NamespaceCall(string op, JsonObject? obj, JsonObject? old, string user = Operator) =>
        new(Guid.NewGuid().ToString(), op, "", "Namespace", null, (obj ?? old)!["metadata"]!["name"]!.GetValue<string>(), null,
            obj is null ? null : Calls.Json(obj), old is null ? null : Calls.Json(old), user, ["system:serviceaccounts"], false);

    private static async Task<AdmissionVerdict> Judge(AdmissionCall call, OperatorOptions? options = null) => await Guard(options).ReviewAsync(call, CancellationToken.None);

    [Fact]
    public async Task Anyone_else_passes_whatever_they_do()
    {
        (await Judge(NamespaceCall("DELETE", null, Ns("payments", false), user: "alice"))).Allowed.Should().BeTrue();
        (await Judge(NamespaceCall("UPDATE", Ns("payments", true), Ns("payments", false), user: "alice"))).Allowed.Should().BeTrue();
        (await Judge(Calls.Namespaced("RoleBinding", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } }, group: "rbac.authorization.k8s.io", user: "alice")))
            .Allowed.Should().BeTrue("the guard never looks further than the user name for someone else's request");
    }

    [Fact]
    public async Task Operator_may_create_only_labelled_namespaces_and_never_a_reserved_one()
    {
        (await Judge(NamespaceCall("CREATE", Ns("demo-acme", true), null))).Allowed.Should().BeTrue();
        var unlabelled = await Judge(NamespaceCall("CREATE", Ns("demo-acme", false), null));
        unlabelled.Allowed.Should().BeFalse();
        unlabelled.Message.Should().Contain("operator guard").And.Contain(Operator);
        (await Judge(NamespaceCall("CREATE", Ns("kube-extra", true), null))).Allowed.Should().BeFalse();
        (await Judge(NamespaceCall("CREATE", Ns("default", true), null))).Allowed.Should().BeFalse();
    }

    [Fact]
    public async Task Operator_may_not_add_the_managed_label_to_a_namespace_it_does_not_manage()
    {
        var verdict = await Judge(NamespaceCall("UPDATE", Ns("payments", true), Ns("payments", false)));
        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain("may not add the label").And.Contain("payments");

        (await Judge(NamespaceCall("UPDATE", Ns("payments", false), Ns("payments", false)))).Message.Should().Contain("may change only namespaces it manages");
        (await Judge(NamespaceCall("UPDATE", Ns("demo-acme", true), Ns("demo-acme", true)))).Allowed.Should().BeTrue();
    }

    [Fact]
    public async Task Operator_may_delete_only_namespaces_it_manages()
    {
        (await Judge(NamespaceCall("DELETE", null, Ns("payments", false)))).Allowed.Should().BeFalse();
        (await Judge(NamespaceCall("DELETE", null, Ns("demo-acme", true)))).Allowed.Should().BeTrue();
    }

    [Fact]
    public async Task Operator_may_write_its_own_webhook_secret_outside_demo_namespaces()
    {
        var options = new OperatorOptions { LeaseNamespace = "isolation-system" };
        var call = new AdmissionCall("u", "UPDATE", "", "Secret", "isolation-system", options.Webhook.SecretName, null, null, null, Operator, [], false);
        (await Judge(call, options)).Allowed.Should().BeTrue();
    }

    [Fact]
    public async Task Operator_may_write_its_audit_key_in_the_audit_namespace()
    {
        var options = new OperatorOptions { LeaseNamespace = "isolation-system", Audit = { Namespace = "isolation-system", KeySecret = "io-audit-key" } };
        var key = new AdmissionCall("u", "CREATE", "", "Secret", "isolation-system", "io-audit-key", null, null, null, Operator, [], false);
        (await Judge(key, options)).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Guard_is_registered_fail_open_with_a_short_timeout_for_every_scope_and_only_with_a_known_operator_user()
    {
        var guard = Guard();
        var config = WebhookRegistration.Validating("io", [guard], "https://127.0.0.1:9443", "ca", tenantSelector: "shard=a");
        var hook = config.Webhooks.Should().ContainSingle().Subject;
        (hook.FailurePolicy, hook.TimeoutSeconds).Should().Be(("Ignore", WebhookRegistration.GuardTimeoutSeconds));
        hook.Rules.Should().OnlyContain(r => r.Scope == "*");
        hook.ObjectSelector.MatchLabels.Should().BeNullOrEmpty("a tenant selector must not hide the operator's writes from its guard");
        hook.NamespaceSelector.MatchLabels.Should().BeNullOrEmpty();

        var without = new OperatorOptions { Webhook = { Enabled = true } };
        AdmissionReviewers.All(new AdmissionContext(null!, without, () => null, TimeProvider.System, NullLoggerFactory.Instance))
            .Should().NotContain(r => r is OperatorGuardReviewer, "without Operator__Admission__OperatorUser there is nobody to guard");
        var with = new OperatorOptions { Webhook = { Enabled = true }, Admission = { OperatorUser = Operator } };
        AdmissionReviewers.All(new AdmissionContext(null!, with, () => null, TimeProvider.System, NullLoggerFactory.Instance))
            .Should().ContainSingle(r => r is OperatorGuardReviewer);
    }
}
