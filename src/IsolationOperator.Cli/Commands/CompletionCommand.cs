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
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh (for kubectl-demo), or kubectl: the kubectl_complete-demo script kubectl 1.26+ runs for `kubectl demo <TAB>`" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "kubectl");
        var command = new Command("completion", "Print a shell completion script: source <(kubectl-demo completion bash)") { shell };
        verbs.Run(command, async (s, _) =>
        {
            await s.Out.WriteAsync(s.Get(shell) switch { "zsh" => Zsh, "kubectl" => Kubectl, _ => Bash });
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

    /// <summary>kubectl passes the words after "demo", the last one being typed (maybe empty), and reads cobra's format:
    /// one candidate a line, then ":4" (no file completion).</summary>
    public const string Kubectl = """
        #!/usr/bin/env sh
        # kubectl (1.26+) runs this for `kubectl demo <TAB>`. Install it on PATH:
        #   kubectl-demo completion kubectl > ~/.local/bin/kubectl_complete-demo && chmod +x ~/.local/bin/kubectl_complete-demo
        line="kubectl-demo $*"
        kubectl-demo "[suggest:${#line}]" "$line" 2>/dev/null
        echo ":4"

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
