using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TradeNet.Testing;

/// <summary>
/// Starts a test host so that a start that fails fails with its own exception. WebApplicationFactory starts a minimal
/// hosting service on the service's own thread, and its <c>DeferredHost.StartAsync</c> then asks the host's services for
/// the application lifetime. A start that fails before the test's thread gets there has already disposed them (the
/// service's <c>Run</c> disposes its host), and the test gets an <see cref="ObjectDisposedException"/> ("IServiceProvider")
/// instead of the failure (dotnet/aspnetcore#33494): a logistics test that a setting stops the service failed so once on a
/// loaded CI machine, and does every time with a pause of a few seconds before the factory's start. The host logs why it
/// failed to start before it is disposed; a logger kept here remembers it, and it is thrown instead.
/// </summary>
public static class HostStart
{
    /// <summary>What <c>WebApplicationFactory.CreateHost</c> does (build, then start), but failing with the start's cause.</summary>
    public static IHost BuildAndStart(IHostBuilder builder)
    {
        var failure = new StartFailureLog();
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(failure));
        var host = builder.Build();
        try
        {
            host.Start();
        }
        catch (ObjectDisposedException) when (failure.Cause is { } cause)
        {
            ExceptionDispatchInfo.Throw(cause);
        }
        return host;
    }

    /// <summary>Keeps the first exception the host logs as an error: "Hosting failed to start", with its cause.</summary>
    private sealed class StartFailureLog : ILoggerProvider, ILogger
    {
        private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";
        private Exception? _cause;

        public Exception? Cause => Volatile.Read(ref _cause);

        public ILogger CreateLogger(string categoryName) => categoryName == HostCategory ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && exception is not null) Interlocked.CompareExchange(ref _cause, exception, null);
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public void Dispose() { }
    }
}
