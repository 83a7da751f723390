using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TradeNet.Gateway.Tests;

/// <summary>What the edge logs, kept in order with its category and level, for tests that count the lines.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> _lines = new();

    /// <summary>The lines <typeparamref name="T"/> logged at <paramref name="level"/>.</summary>
    public string[] Of<T>(LogLevel level) =>
        _lines.Where(l => l.Category == typeof(T).FullName && l.Level == level).Select(l => l.Message).ToArray();

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _lines);

    public void Dispose() { }

    private sealed class Recorder(string category, ConcurrentQueue<(string, LogLevel, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) lines.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
