namespace IsolationOperator.Tests.Unit.Cli;

public sealed class KubeTargetTests
{
    [Fact]
    public void A_KUBECONFIG_list_is_merged_with_the_first_file_winning()
    {
        var dir = Directory.CreateTempSubdirectory("kubeconfigs-").FullName;
        try
        {
            var a = Path.Combine(dir, "a");
            var b = Path.Combine(dir, "b");
            File.WriteAllText(a, """
                apiVersion: v1
                kind: Config
                clusters: [{name: shared, cluster: {server: "https://first"}}]
                users: [{name: me, user: {token: t}}]
                contexts: [{name: one, context: {cluster: shared, user: me}}]
                current-context: one
                """);
            File.WriteAllText(b, """
                apiVersion: v1
                kind: Config
                clusters: [{name: shared, cluster: {server: "https://second"}}, {name: other, cluster: {server: "https://other"}}]
                users: [{name: you, user: {token: u}, }]
                contexts: [{name: two, context: {cluster: other, user: you}}]
                current-context: two
                """);

            IsolationOperator.Cli.Kube.KubeTarget.FromFiles([a, b], null).Server.Should().Be("https://first");
            IsolationOperator.Cli.Kube.KubeTarget.FromFiles([a, b], "two").Server.Should().Be("https://other");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Impersonation_comes_from_as_or_from_the_kubeconfig_user()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://h"}}]
                users: [{name: u, user: {token: t, as: bob, as-groups: [sales]}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """);
            var fromFile = IsolationOperator.Cli.Kube.KubeTarget.FromFiles([path], null);
            fromFile.ActAs!.User.Should().Be("bob");
            fromFile.ActAs.Groups.Should().Equal("sales");
            fromFile.Identity().Should().Be("bob");
            IsolationOperator.Cli.Kube.KubeTarget.FromFiles([path], null, "carol").Identity().Should().Be("carol");
        }
        finally { File.Delete(path); }
    }
}
