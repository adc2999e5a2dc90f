namespace IsolationOperator.Cli;

/// <summary>Where the CLI reads and writes, and whether a person is on the other end (colour, prompts, progress).</summary>
public sealed class CliConsole(TextWriter output, TextWriter error, TextReader input, bool outputIsTerminal, bool inputIsTerminal, bool errorIsTerminal)
{
    public TextWriter Out => output;
    public TextWriter Err => error;
    public TextReader In => input;
    public bool InputIsTerminal => inputIsTerminal;
    public bool ErrorIsTerminal => errorIsTerminal;
    /// <summary>Colour only for a person: stdout on a terminal and NO_COLOR unset (no-color.org).</summary>
    public bool Colour => outputIsTerminal && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    public static CliConsole System() => new(Console.Out, Console.Error, Console.In,
        !Console.IsOutputRedirected, !Console.IsInputRedirected, !Console.IsErrorRedirected);

    /// <summary>Nothing is a terminal: what tests and pipes see.</summary>
    public static CliConsole Redirected(TextWriter output, TextWriter error, TextReader? input = null) =>
        new(output, error, input ?? TextReader.Null, false, false, false);
}
