using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Messaging;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

public sealed class BusHealthLogTests : IDisposable
{
    private const string HealthCategory = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";
    private readonly TestSettings _settings = new();
    private readonly ClosedPort _brokerPort = new();

    [Fact]
    public async Task While_the_broker_is_unreachable_each_health_probe_logs_the_bus_state_in_a_line_not_a_stack_trace()
    {
        // Measured during a broker outage: every /health probe logged the broker's connection exception with its
        // 70-line stack trace, per service, half of all the log lines written during the outage.
        var entries = new ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)>();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.AddProvider(new RecordingLoggerProvider(entries));
        builder.Configuration.AddInMemoryCollection(_settings.Configuration());
        builder.Configuration["RabbitMq:Host"] = "127.0.0.1";
        builder.Configuration["RabbitMq:Port"] = _brokerPort.Port.ToString();
        builder.AddServiceDefaults("test");
        builder.AddTradeNetBus();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        var client = app.GetTestClient();

        // The bus's check knows of the refused connection once the first attempt has failed.
        await Eventually.True(async () =>
        {
            await client.GetAsync("/health");
            return BusEntries(entries).Any(e => e.Exception is not null || e.Message.Contains("Broker unreachable"));
        }, TimeSpan.FromSeconds(30), "the bus's health check to report the unreachable broker");

        var busEntries = BusEntries(entries);
        Assert.All(busEntries, e => Assert.Null(e.Exception));
        Assert.Contains(busEntries, e => e.Message.Contains("Broker unreachable"));
        await app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
    }

    private static List<(string Category, LogLevel Level, string Message, Exception? Exception)> BusEntries(
        IEnumerable<(string Category, LogLevel Level, string Message, Exception? Exception)> entries) =>
        entries.Where(e => e.Category == HealthCategory && e.Message.Contains("masstransit-bus") && e.Level >= LogLevel.Warning).ToList();

    public void Dispose()
    {
        _settings.Dispose();
        _brokerPort.Dispose();
    }

    private sealed class RecordingLoggerProvider(ConcurrentQueue<(string, LogLevel, string, Exception?)> entries) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, entries);
        public void Dispose() { }

        private sealed class Recorder(string category, ConcurrentQueue<(string, LogLevel, string, Exception?)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((category, logLevel, formatter(state, exception), exception));
        }
    }
}
