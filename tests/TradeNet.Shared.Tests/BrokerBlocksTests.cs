using System.Reflection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RabbitMQ.Client;
using TradeNet.Shared.Messaging;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

/// <summary>A broker's block is timed by the host's clock (the time hunt moves it): it read the system clock, so under a
/// test's clock a block started "now" in the real world and lasted however long the machine took.</summary>
public sealed class BrokerBlocksTests
{
    private static readonly DateTimeOffset Start = new(2031, 3, 30, 0, 59, 30, TimeSpan.Zero);

    [Fact]
    public async Task A_block_starts_and_lasts_on_the_clock_the_host_was_given()
    {
        var clock = new FakeTimeProvider(Start);
        var logs = new RecordedLogs();
        var blocks = new BrokerBlocks(new LoggerFactory([logs]).CreateLogger<BrokerBlocks>(), clock);
        var connection = OpenConnection.Create();
        blocks.Watch(connection);

        await blocks.OnBlocked(connection, "low on memory");
        var block = blocks.Current();
        var health = await new BrokerBlockedCheck(blocks).CheckHealthAsync(new HealthCheckContext());
        clock.Advance(TimeSpan.FromSeconds(95));
        await blocks.OnUnblocked(connection);

        Assert.Equal(new BrokerBlocks.Block("low on memory", Start), block);
        Assert.Null(blocks.Current());
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("since 2031-03-30 00:59:30Z (low on memory)", health.Description);
        Assert.Contains("RabbitMQ unblocked this service's connection, blocked since 2031-03-30 00:59:30Z (95 s)", logs.Of<BrokerBlocks>());
    }

    /// <summary>An open connection that does nothing else: what the blocks read of it is whether it is open; the
    /// notifications themselves are handed to <see cref="BrokerBlocks"/> by the test.</summary>
    public class OpenConnection : DispatchProxy
    {
        public static IConnection Create() => Create<IConnection, OpenConnection>();

        protected override object? Invoke(MethodInfo? method, object?[]? args) => method?.Name switch
        {
            "get_IsOpen" => true,
            "add_ConnectionBlockedAsync" or "add_ConnectionUnblockedAsync" => null,
            _ => throw new NotSupportedException(method?.Name),
        };
    }
}
