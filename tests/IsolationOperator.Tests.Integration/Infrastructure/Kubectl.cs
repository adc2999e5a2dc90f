using System.Diagnostics;

namespace IsolationOperator.Tests.Integration.Infrastructure;

public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Text for kubectl's stdin; converts implicitly from string.</summary>
public sealed record KubectlInput(string Text)
{
    public static implicit operator KubectlInput(string text) => new(text);
}

/// <summary>Runs kubectl (from PATH) against an explicit kubeconfig; never the ambient KUBECONFIG.</summary>
public static class Kubectl
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<KubectlResult> RunAsync(string kubeconfig, params string[] args) => RunAsync(kubeconfig, stdin: null, args);

    /// <summary>
    /// <paramref name="stdin"/> (a string) is piped in, e.g. a manifest for <c>apply -f -</c>. It is typed
    /// <see cref="KubectlInput"/> rather than string so that <c>RunAsync(kubeconfig, "get", "pods")</c> can never bind
    /// "get" to stdin: an identity conversion to string always beats the implicit one.
    /// </summary>
    public static async Task<KubectlResult> RunAsync(string kubeconfig, KubectlInput? stdin, params string[] args)
    {
        var info = new ProcessStartInfo("kubectl")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add($"--kubeconfig={kubeconfig}");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start kubectl");
        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.Text);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s");
        }

        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }
}
