using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>
/// Every log line the in-process operators write (message, exception and state), kept so a test can show that a
/// value (a guest's token, a password) never reached the log. Bounded: the oldest lines go first.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private const int Capacity = 200_000;
    private readonly ConcurrentQueue<string> _lines = new();

    public static CapturedLogs Instance { get; } = new();

    public bool Contains(string value) => _lines.Any(l => l.Contains(value, StringComparison.Ordinal));

    public int Count => _lines.Count;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > Capacity && _lines.TryDequeue(out _)) { }
    }

    private sealed class Logger(CapturedLogs sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            sink.Add($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Add($"{logLevel} {category}: {formatter(state, exception)} {state} {exception}");
    }
}
