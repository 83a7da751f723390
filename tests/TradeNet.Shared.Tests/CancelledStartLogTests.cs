using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

/// <summary>What a real host logs when its start ends early (CancelledStartLog): a stop asked for during the start is
/// not an error; a start that fails by itself still is, with its exception.</summary>
public sealed class CancelledStartLogTests
{
    /// <summary>Waits in its start, as Kestrel's bind does, until the start token (which follows the stopping) ends it.</summary>
    private sealed class SlowStart(IHostApplicationLifetime lifetime) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.StopApplication(); // the operator's Ctrl+C, while this start waits
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class FailingStart : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("the disk is gone");

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static (IHost Host, RecordedLogs Logs) Build<TService>(Dictionary<string, string?>? settings = null)
        where TService : class, IHostedService
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        var logs = new RecordedLogs();
        builder.Logging.ClearProviders().AddProvider(logs);
        var quiet = CancelledStartLog.AddTo(builder);
        builder.Services.AddHostedService<TService>();
        var host = builder.Build();
        quiet.Follow(host.Services.GetRequiredService<IHostApplicationLifetime>());
        return (host, logs);
    }

    private static string[] HostErrors(RecordedLogs logs) => logs.Of(CancelledStartLog.HostCategory, LogLevel.Error);

    [Fact]
    public async Task A_start_that_a_stop_cancels_logs_no_hosting_failure()
    {
        var (host, logs) = Build<SlowStart>();
        using var _ = host;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.StartAsync());

        Assert.Empty(HostErrors(logs));
    }

    [Fact]
    public async Task A_start_that_fails_by_itself_still_logs_hosting_failed_to_start_with_its_exception()
    {
        var (host, logs) = Build<FailingStart>();
        using var _ = host;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Equal("the disk is gone", failure.Message);
        Assert.Equal(["Hosting failed to start"], HostErrors(logs));
    }

    /// <summary>The filter's rule is the most specific for the host's category, so it carries the level configuration
    /// gives that category: without it, the rule let every level through (the host's debug lines appeared at Information).</summary>
    [Fact]
    public async Task The_level_configured_for_the_hosts_category_still_decides_what_it_logs()
    {
        var (host, logs) = Build<FailingStart>(new() { ["Logging:LogLevel:Microsoft.Extensions.Hosting"] = "Critical" });
        using var _ = host;

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Empty(HostErrors(logs));
    }
}
