using IsolationOperator.Cli;

// kubectl-demo: the sales engineer's CLI (kubectl plugin). Everything lives in CliApp so tests run the same tree.
return await CliApp.RunAsync(args, CliConsole.System());
