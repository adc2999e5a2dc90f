using System.CommandLine;
using IsolationOperator.Cli.Kube;
using IsolationOperator.Cli.Model;

namespace IsolationOperator.Cli.Commands;

/// <summary>kubeconfig NAME --guest jane [--for 8h] [-o file]: a kubeconfig for a guest, with a short-lived token.</summary>
public static class KubeconfigCommand
{
    public static Command Build(Verbs verbs)
    {
        var name = verbs.Name();
        var guest = new Option<string>("--guest") { Description = "The guest (spec.access kind Guest)", Required = true };
        var lifetime = new Option<TimeSpan>("--for")
        {
            Description = "How long the token should live (default 8h; cut to the guest's access and the platform's maximum)",
            DefaultValueFactory = _ => TimeSpan.FromHours(8),
            CustomParser = r => Verbs.Duration(r, "--for"),
        };
        var file = new Option<string?>("--file", "-o") { Description = "Write the kubeconfig to this file (mode 0600) instead of stdout" };
        var command = new Command("kubeconfig", "Issue a kubeconfig for a guest of a demo (YAML, or --output json; the namespace is preset). Only the demo's admins may") { name, guest, lifetime, file };
        verbs.Run(command, async (s, ct) =>
        {
            var tenantName = s.Get(name)!;
            var guestName = s.Get(guest)!;
            var (tenant, _) = await s.Api.GetAsync(tenantName, ct);
            var cluster = ClusterInfoReader.Read(s.Target);
            var issued = await GuestTokens.IssueAsync(s.Api.Client, tenant, guestName, s.Get(lifetime), s.Now, ct);
            var yaml = GuestKubeconfig.Build(cluster, tenantName, guestName, issued.Namespace, issued.Token, json: s.Output == "json");
            var expiry = $"expires {DemoDuration.Rfc3339(issued.ExpiresAt)} (in {Countdown.Format(issued.ExpiresAt, s.Now)}; limited by {issued.LimitedBy})";
            if (s.Get(file) is { } path)
            {
                await WritePrivateAsync(path, yaml, ct);
                await s.Out.WriteLineAsync($"kubeconfig for guest {guestName} on {tenantName} written to {path} (namespace {issued.Namespace}, role {issued.Guest.Role}); it {expiry}");
                await s.Out.WriteLineAsync($"try: KUBECONFIG={path} kubectl get pods");
            }
            else
            {
                // The kubeconfig alone on stdout, so `> file` or a pipe gets just that; the note goes to stderr.
                await s.Out.WriteAsync(yaml);
                await s.Err.WriteLineAsync($"kubeconfig for guest {guestName} on {tenantName} (namespace {issued.Namespace}, role {issued.Guest.Role}): it {expiry}");
            }
            return ExitCode.Ok;
        });
        return command;
    }

    /// <summary>Created 0600 from the start, so the token is never readable by others, not even for a moment.</summary>
    public static async Task WritePrivateAsync(string path, string text, CancellationToken ct)
    {
        // An existing file keeps its mode on create: make it private before the token goes in.
        if (!OperatingSystem.IsWindows() && File.Exists(path)) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
            await writer.WriteAsync(text.AsMemory(), ct);
    }
}
