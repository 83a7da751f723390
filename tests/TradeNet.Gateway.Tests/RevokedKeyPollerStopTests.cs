using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeNet.Testing;

namespace TradeNet.Gateway.Tests;

/// <summary>A stop that finds a read of the revoked-key feed in flight: the gRPC client cancels it with an RpcException
/// (Cancelled), which is no OperationCanceledException, so the poller ended faulted and the host logged "BackgroundService
/// failed" (fail) and that it stops itself (crit) at a normal stop (seen with the standalone host stopped during its seed).</summary>
public sealed class RevokedKeyPollerStopTests
{
    [Fact]
    public async Task A_stop_during_a_read_of_the_feed_ends_the_poller_quietly()
    {
        var catalog = new FakeCatalog { FeedHangs = true };
        await using var provider = new ServiceCollection().AddSingleton<Contracts.Grpc.Catalog.CatalogClient>(catalog).BuildServiceProvider();
        var options = Options.Create(new GatewayOptions());
        using var cache = new ApiKeyCache(options);
        var poller = new RevokedKeyPoller(provider.GetRequiredService<IServiceScopeFactory>(), cache, options, NullLogger<RevokedKeyPoller>.Instance);
        await poller.StartAsync(default);
        await Eventually.True(() => Task.FromResult(catalog.HangingFeedReads > 0), what: "a read of the feed in flight");

        await poller.StopAsync(default);

        Assert.True(poller.ExecuteTask!.IsCompletedSuccessfully, $"the poller ended {poller.ExecuteTask.Status}: {poller.ExecuteTask.Exception?.InnerException}");
    }
}
