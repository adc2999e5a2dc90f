namespace IsolationOperator.Cli;

/// <summary>A failure the user can act on: printed as its one-line message, never with a stack trace.</summary>
public sealed class CliException(string message, int exitCode = ExitCode.Usage) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
