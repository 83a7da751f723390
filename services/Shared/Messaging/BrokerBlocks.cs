using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace TradeNet.Shared.Messaging;

/// <summary>
/// Whether RabbitMQ has blocked this process's connection (a memory or disk alarm: the broker stops reading from every
/// connection that publishes, the consumers' acknowledgements on it included). MassTransit 8.5 neither logs nor reports
/// it: its connection stays open, so its check says Healthy while no event leaves. Measured: a memory alarm left every
/// service Healthy until the outbox check's minute ran out. Times are read from the host's <see cref="TimeProvider"/>, as
/// everywhere else in the services, so a test that moves the clock moves a block's start and length too.
/// </summary>
public sealed class BrokerBlocks(ILogger<BrokerBlocks> logger, TimeProvider clock)
{
    public const string HealthCheckName = "broker-blocked";

    // Every connection seen, with its block (null: not blocked). A reconnect brings a new connection; closed ones are
    // dropped when read, so a block ends with its connection too.
    private readonly ConcurrentDictionary<IConnection, Block?> _connections = new(ReferenceEqualityComparer.Instance);

    public sealed record Block(string Reason, DateTimeOffset Since);

    /// <summary>Follows a connection's blocked and unblocked notifications, once however many endpoints share it.</summary>
    public void Watch(IConnection connection)
    {
        if (!_connections.TryAdd(connection, null)) return;
        connection.ConnectionBlockedAsync += (_, e) => OnBlocked(connection, e.Reason);
        connection.ConnectionUnblockedAsync += (_, _) => OnUnblocked(connection);
    }

    /// <summary>The block on an open connection of this process, if any.</summary>
    public Block? Current()
    {
        foreach (var (connection, block) in _connections)
        {
            if (!connection.IsOpen) _connections.TryRemove(connection, out _);
            else if (block is not null) return block;
        }
        return null;
    }

    internal Task OnBlocked(IConnection connection, string reason)
    {
        _connections[connection] = new Block(reason, clock.GetUtcNow());
        logger.LogWarning("RabbitMQ blocked this service's connection ({Reason}): the broker raised a resource alarm and reads " +
            "nothing more from it, so events wait in the outbox and consumed messages stay unacknowledged until the alarm clears", reason);
        return Task.CompletedTask;
    }

    internal Task OnUnblocked(IConnection connection)
    {
        if (_connections.TryGetValue(connection, out var block) && block is not null)
            logger.LogInformation("RabbitMQ unblocked this service's connection, blocked since {Since:u} ({Seconds:F0} s)", block.Since,
                (clock.GetUtcNow() - block.Since).TotalSeconds);
        _connections[connection] = null;
        return Task.CompletedTask;
    }
}

/// <summary>Degraded while the broker blocks this process's connection, naming the alarm; never worse, as the API works on.</summary>
internal sealed class BrokerBlockedCheck(BrokerBlocks blocks) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(blocks.Current() is { } block
            ? HealthCheckResult.Degraded($"RabbitMQ has blocked this service's connection since {block.Since:u} ({block.Reason}): " +
                "a memory or disk alarm on the broker; events wait in the outbox until it clears.")
            : HealthCheckResult.Healthy("The broker does not block this service's connection."));
}
