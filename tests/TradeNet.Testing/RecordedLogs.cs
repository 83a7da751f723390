using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TradeNet.Testing;

/// <summary>What a host logs at Information or above, kept in order with its category and level, so a test can check
/// what it said (an event refused as stale, the edge's warnings).</summary>
public sealed class RecordedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> _lines = new();

    /// <summary>The lines of the category named <typeparamref name="T"/> at <paramref name="level"/> or above.</summary>
    public string[] Of<T>(LogLevel level = LogLevel.Information) =>
        _lines.Where(l => l.Category == typeof(T).FullName && l.Level >= level).Select(l => l.Message).ToArray();

    /// <summary>The lines of the category named <typeparamref name="T"/> at exactly <paramref name="level"/>.</summary>
    public string[] At<T>(LogLevel level) =>
        _lines.Where(l => l.Category == typeof(T).FullName && l.Level == level).Select(l => l.Message).ToArray();

    /// <summary>The lines of <paramref name="category"/> at <paramref name="level"/> or above: for a type a test cannot
    /// name, such as .NET's internal host.</summary>
    public string[] Of(string category, LogLevel level) =>
        _lines.Where(l => l.Category == category && l.Level >= level).Select(l => l.Message).ToArray();

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
