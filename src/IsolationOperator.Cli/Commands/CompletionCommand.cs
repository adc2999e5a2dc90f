using System.CommandLine;

namespace IsolationOperator.Cli.Commands;

/// <summary>
/// completion bash|zsh: a script that asks kubectl-demo itself what may come next (System.CommandLine's [suggest]
/// directive), so completion always matches the installed version. Install: source &lt;(kubectl-demo completion bash).
/// </summary>
public static class CompletionCommand
{
    public static Command Build(Verbs verbs)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script: source <(kubectl-demo completion bash)") { shell };
        verbs.Run(command, async (s, _) =>
        {
            await s.Out.WriteAsync(s.Get(shell) == "zsh" ? Zsh : Bash);
            return ExitCode.Ok;
        });
        return command;
    }

    public const string Bash = """
        # kubectl-demo completion for bash: source <(kubectl-demo completion bash)
        _kubectl_demo_complete() {
          local IFS=$'\n'
          local words
          words=$(kubectl-demo "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)
          COMPREPLY=($(compgen -W "$words" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _kubectl_demo_complete kubectl-demo

        """;

    public const string Zsh = """
        # kubectl-demo completion for zsh: source <(kubectl-demo completion zsh)
        _kubectl_demo_complete() {
          local -a words
          words=("${(@f)$(kubectl-demo "[suggest:${#BUFFER}]" "${BUFFER}" 2>/dev/null)}")
          compadd -- $words
        }
        compdef _kubectl_demo_complete kubectl-demo

        """;
}
