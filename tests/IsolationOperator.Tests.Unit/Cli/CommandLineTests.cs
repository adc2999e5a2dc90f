using System.Net;
using IsolationOperator.Cli;
using IsolationOperator.Cli.Kube;
using k8s;
using k8s.Autorest;

namespace IsolationOperator.Tests.Unit.Cli;

/// <summary>The real command tree, without a cluster: what it refuses before any request, and what it prints.</summary>
public sealed class CommandLineTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, CliConsole.Redirected(o, e));
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task Dry_run_prints_the_DemoTenant_as_YAML_without_a_cluster()
    {
        var (code, output, _) = await Run("create", "acme", "--prospect", "ACME Corp", "--owner", "alice", "--ttl", "7d", "--guest", "jane=edit", "--dry-run",
            "--kubeconfig", "/nonexistent");
        code.Should().Be(0);
        var tenant = KubernetesYaml.Deserialize<IsolationOperator.Api.V1Alpha1.DemoTenant>(output);
        tenant.Kind.Should().Be("DemoTenant");
        tenant.Spec.Ttl.Should().Be("168h");
        tenant.Spec.Access!.Single().Kind.Should().Be("Guest");
        tenant.Status.Should().BeNull();
    }

    [Fact]
    public async Task Dry_run_prints_JSON_when_asked()
    {
        var (code, output, _) = await Run("create", "acme", "--prospect", "ACME", "--owner", "alice", "--dry-run", "--output", "json");
        code.Should().Be(0);
        System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("spec").GetProperty("owner").GetString().Should().Be("alice");
    }

    [Theory]
    [InlineData("create", "acme")]
    [InlineData("extend", "acme")]
    [InlineData("extend", "acme", "--by", "3d", "--until", "2027-01-01")]
    [InlineData("extend", "acme", "--by", "three days")]
    [InlineData("list", "--output", "xml")]
    [InlineData("frobnicate")]
    [InlineData("create", "acme", "--prospect", "A", "--owner", "o", "--grant", "group:x", "--dry-run")]
    public async Task Usage_errors_are_one_line_and_exit_2(params string[] args)
    {
        var (code, _, err) = await Run(args);
        code.Should().Be(ExitCode.Usage);
        err.Should().StartWith("error: ").And.NotContain("   at ");
    }

    [Fact]
    public async Task A_missing_kubeconfig_says_how_to_point_at_one()
    {
        var (code, _, err) = await Run("list", "--kubeconfig", "/nonexistent/kubeconfig");
        code.Should().Be(ExitCode.Usage);
        err.Should().Contain("no such file");
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: \"https://h\"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n", "has no current-context: pass --context")]
    [InlineData("apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n", "names no cluster with a server address")]
    public async Task A_kubeconfig_that_names_no_server_fails_clearly_instead_of_falling_back_to_localhost(string kubeconfig, string message)
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, kubeconfig);
            var (code, _, err) = await Run("list", "--kubeconfig", path);
            code.Should().Be(ExitCode.Usage);
            err.Should().Contain(message).And.NotContain("localhost");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Delete_without_a_terminal_needs_yes()
    {
        var path = Path.GetTempFileName();
        try
        {
            // A kubeconfig pointing nowhere: the refusal must come before the request would fail.
            await File.WriteAllTextAsync(path, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """);
            var (code, _, err) = await Run("delete", "acme", "--kubeconfig", path);
            code.Should().Be(ExitCode.Usage);
            err.Should().Contain("pass --yes");
            // With --yes it goes to the cluster, which is unreachable: a connection error, one line.
            (code, _, err) = await Run("delete", "acme", "--yes", "--kubeconfig", path);
            code.Should().Be(ExitCode.Usage);
            err.Should().Contain("cannot reach").And.NotContain("   at ");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Completion_prints_a_bash_script_that_asks_the_CLI()
    {
        var (code, output, _) = await Run("completion", "bash");
        code.Should().Be(0);
        output.Should().Contain("complete -o default -F _kubectl_demo_complete kubectl-demo").And.Contain("[suggest:");
    }

    [Fact]
    public async Task Completion_prints_the_script_kubectl_runs_for_plugin_completion()
    {
        var (code, output, _) = await Run("completion", "kubectl");
        code.Should().Be(0);
        output.Should().StartWith("#!/usr/bin/env sh").And.Contain("kubectl-demo \"[suggest:${#line}]\" \"$line\"").And.Contain("echo \":4\"");
    }

    [Fact]
    public async Task The_suggest_directive_completes_verbs_and_options()
    {
        (await Run("[suggest:15]", "kubectl-demo ex")).Out.Should().Contain("extend");
        (await Run("[suggest:27]", "kubectl-demo extend acme --")).Out.Should().Contain("--by").And.Contain("--until");
    }

    [Fact]
    public async Task Help_documents_the_exit_codes()
    {
        var (code, output, _) = await Run("--help");
        code.Should().Be(0);
        output.Should().Contain(ExitCode.Help);
    }

    private static HttpOperationException Error(HttpStatusCode status, HttpMethod method, string path, string message) => new(message)
    {
        Request = new HttpRequestMessageWrapper(new HttpRequestMessage(method, "https://api.example" + path), ""),
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(status), $$"""{"kind":"Status","message":"{{message}}"}"""),
    };

    [Fact]
    public void Forbidden_on_DemoTenants_says_which_role_to_ask_for()
    {
        var e = ApiErrors.Explain(Error(HttpStatusCode.Forbidden, HttpMethod.Patch, "/apis/isolation.demo.dev/v1alpha1/demotenants/acme", "forbidden"));
        e.Message.Should().Be("you may not change DemoTenants: ask for the demotenant-editor role");
        e.ExitCode.Should().Be(ExitCode.ForbiddenOrNotFound);
    }

    [Fact]
    public void Not_found_names_the_demo()
    {
        var e = ApiErrors.Explain(Error(HttpStatusCode.NotFound, HttpMethod.Get, "/apis/isolation.demo.dev/v1alpha1/demotenants/acme", "not found"));
        e.Message.Should().StartWith("no DemoTenant named acme");
        e.ExitCode.Should().Be(ExitCode.ForbiddenOrNotFound);
    }

    [Fact]
    public void Forbidden_elsewhere_names_the_resource_and_the_server_reason()
    {
        var e = ApiErrors.Explain(Error(HttpStatusCode.Forbidden, HttpMethod.Post, "/api/v1/namespaces/demo-acme/serviceaccounts/guest-1/token", "nope"));
        e.Message.Should().Be("you may not create serviceaccounts/token guest-1: nope");
    }
}
