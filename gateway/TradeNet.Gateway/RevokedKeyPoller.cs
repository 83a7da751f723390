using Grpc.Core;
using Microsoft.Extensions.Options;
using TradeNet.Contracts.Grpc;

namespace TradeNet.Gateway;

/// <summary>
/// Reads the catalog's revoked-key feed (gRPC <c>GetRevokedKeys</c>) every <c>Gateway:ApiKeyCache:RevocationPoll</c> and
/// drops those keys from <see cref="ApiKeyCache"/>, so a key rotated through another gateway, or by an operator, is refused
/// here within about one poll instead of when its cached identity runs out. The feed's sequence carries the edge across a
/// catalog outage; where it cannot tell what it missed (its first read, revocations pruned before it read them, a feed
/// that started over, more than a page behind) it drops every cached key instead, and the cache refills from the catalog.
/// </summary>
public sealed class RevokedKeyPoller(IServiceScopeFactory scopes, ApiKeyCache cache, IOptions<GatewayOptions> options,
    ILogger<RevokedKeyPoller> logger) : BackgroundService
{
    /// <summary>The most revocations one read takes: the catalog's largest page.</summary>
    public const int Page = 1000;

    private long? _after;      // the last sequence read; none until a read succeeds
    private bool _unreachable; // this outage was logged

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ApiKeyCache.RevocationPoll);
        try
        {
            // The first read at once, without holding up the edge's start: keys cached before it are dropped by it.
            do await PollAsync(stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        // A read in flight at the stop is cancelled by the gRPC client with an RpcException (Cancelled), not an
        // OperationCanceledException: it ended the poller faulted, and the host logged a failure and a crit at a normal stop.
        catch (Exception ex) when (stoppingToken.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled }) { }
    }

    private async Task PollAsync(CancellationToken ct)
    {
        GetRevokedKeysReply reply;
        try
        {
            // A client per read, as for requests: gRPC clients are transient.
            await using var scope = scopes.CreateAsyncScope();
            var catalog = scope.ServiceProvider.GetRequiredService<Catalog.CatalogClient>();
            // The first read only needs the newest sequence.
            reply = await catalog.GetRevokedKeysAsync(new GetRevokedKeysRequest { AfterSequence = _after ?? 0, Limit = _after is null ? 1 : Page },
                deadline: DateTime.UtcNow.Add(ApiKeyAuthenticator.CatalogDeadline), cancellationToken: ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Once per outage: the next read that succeeds catches up from the sequence, so each failed poll adds nothing.
            if (!_unreachable)
                logger.LogWarning(ex is RpcException ? null : ex,
                    "Could not read the catalog's revoked API keys ({Error}); a key rotated meanwhile may pass this gateway until it can",
                    ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.GetType().Name);
            _unreachable = true;
            return;
        }
        if (_unreachable) logger.LogInformation("Reading the catalog's revoked API keys again");
        _unreachable = false;
        Follow(reply);
    }

    private void Follow(GetRevokedKeysReply reply)
    {
        if (_after is not { } after)
        {
            // Earlier revocations concern no key cached here, unless the edge took requests while it could not read: drop those.
            StartOver(reply.NewestSequence);
            logger.LogInformation("Following the catalog's revoked API keys from sequence {Sequence}", reply.NewestSequence);
            return;
        }
        var lost = reply.Pruned ? "revocations after it were pruned before this gateway read them"
            : reply.NewestSequence < after ? "the catalog's feed started over"
            : reply.NewestSequence - after > Page ? "more revocations came after it than one read takes"
            : null;
        if (lost is not null)
        {
            StartOver(reply.NewestSequence);
            logger.LogWarning("Dropped every cached API key at revoked-key sequence {Sequence}: {Reason}", after, lost);
            return;
        }
        // The catalog names keys by lower-case SHA-256 hex, the cache by upper-case (ApiKeyAuthenticator.Digest).
        if (reply.KeyHashes.Count > 0) cache.Revoke(reply.KeyHashes.Select(hash => hash.ToUpperInvariant()));
        _after = reply.LastSequence;
    }

    private void StartOver(long newest)
    {
        cache.RevokeAll();
        _after = newest;
    }
}
