namespace IsolationOperator.Cli;

/// <summary>Exit codes of kubectl-demo, documented in --help and in README ("kubectl demo").</summary>
public static class ExitCode
{
    /// <summary>Done (and, for verify, the demo is verified).</summary>
    public const int Ok = 0;
    /// <summary>A check failed: not verified, audit chain broken, the demo failed, or waiting timed out.</summary>
    public const int CheckFailed = 1;
    /// <summary>Usage error, no kubeconfig, or the API server could not be reached.</summary>
    public const int Usage = 2;
    /// <summary>Forbidden by RBAC, or no such DemoTenant (or guest).</summary>
    public const int ForbiddenOrNotFound = 3;

    public const string Help = "exit codes: 0 ok; 1 check failed, not verified or timed out; 2 usage or connection error; 3 forbidden or not found";
}
