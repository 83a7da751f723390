using System.Net;
using Microsoft.Extensions.Logging;
using TradeNet.Testing;

namespace TradeNet.Gateway.Tests;

/// <summary>How the edge follows the catalog's revoked-key feed across outages, pruning and a feed that starts over.</summary>
public sealed class RevokedKeyFeedTests : IAsyncLifetime
{
    private EchoBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await EchoBackend.StartAsync();

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    /// <summary>Keys cached for ten minutes, the feed read every 200 ms: only the feed refuses a key within a test.</summary>
    private GatewayFactory Gateway(FakeCatalog catalog) => new(_backend, catalog, new Dictionary<string, string?>
    {
        ["Gateway:ApiKeyCache:Valid"] = "00:10:00",
        ["Gateway:ApiKeyCache:RevocationPoll"] = "00:00:00.200",
    });

    private static Task<HttpResponseMessage> Get(HttpClient client, string apiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/listings");
        request.Headers.Add("X-Api-Key", apiKey);
        return client.SendAsync(request);
    }

    private static Task Refused(HttpClient client, string apiKey, string what) =>
        Eventually.Until(() => Get(client, apiKey), r => r.StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10), what);

    /// <summary>Until the edge asks the catalog about <paramref name="apiKey"/> again: it dropped the key's cached answer.</summary>
    private static Task AskedAgain(HttpClient client, FakeCatalog catalog, string apiKey, string what) =>
        Eventually.True(async () =>
        {
            await EdgeAssert.Forwarded(await Get(client, apiKey));
            return catalog.CallsFor(apiKey) > 1;
        }, TimeSpan.FromSeconds(10), what);

    [Fact]
    public async Task A_key_rotated_while_the_catalog_was_unreachable_is_refused_once_it_answers_and_no_other_key_is_dropped()
    {
        var catalog = new FakeCatalog();
        var leaked = catalog.RegisterTown("42187", "Roanne");
        var neighbour = catalog.RegisterTown("42184", "Riorges");
        await using var gateway = Gateway(catalog);
        var client = gateway.CreateClient();
        await EdgeAssert.Forwarded(await Get(client, leaked));
        await EdgeAssert.Forwarded(await Get(client, neighbour));

        catalog.Down = true;
        var failed = catalog.FailedFeedReads;
        await Eventually.True(() => Task.FromResult(catalog.FailedFeedReads > failed), what: "a read of the feed failed");
        catalog.RotateKey(leaked); // through another gateway, which still reaches the catalog
        await EdgeAssert.Forwarded(await Get(client, leaked)); // this edge cannot know yet: the cached answer holds
        catalog.Down = false;

        await Refused(client, leaked, "the key rotated during the outage refused after it");
        await EdgeAssert.Forwarded(await Get(client, neighbour));
        Assert.Equal(1, catalog.CallsFor(neighbour)); // caught up from its sequence rather than starting over
        Assert.DoesNotContain(gateway.Logs.At<RevokedKeyPoller>(LogLevel.Warning), l => l.StartsWith("Dropped every"));
    }

    [Theory]
    [InlineData("pruned")]
    [InlineData("started over")]
    [InlineData("more than a page behind")]
    public async Task An_edge_that_cannot_tell_which_revocations_it_missed_drops_every_cached_key(string feed)
    {
        var catalog = new FakeCatalog();
        var other = catalog.RegisterTown("42127", "Mably");
        for (var i = 0; i < 3; i++) other = catalog.RotateKey(other); // the feed is at 3 when the edge starts
        var cached = catalog.RegisterTown("42184", "Riorges");
        await using var gateway = Gateway(catalog);
        var client = gateway.CreateClient();
        await EdgeAssert.Forwarded(await Get(client, cached));

        switch (feed)
        {
            case "pruned": // the catalog forgot a revocation before this edge read it (after a day, say)
                catalog.RotateKey(other, pruned: true);
                break;
            case "started over": // the catalog's store was replaced by an empty one
                catalog.StartFeedOver();
                break;
            default: // more revocations while the edge could not read than one read takes
                catalog.Down = true;
                var failed = catalog.FailedFeedReads;
                await Eventually.True(() => Task.FromResult(catalog.FailedFeedReads > failed), what: "a read of the feed failed");
                for (var i = 0; i <= RevokedKeyPoller.Page; i++) other = catalog.RotateKey(other);
                catalog.Down = false;
                break;
        }

        await AskedAgain(client, catalog, cached, "the untouched key asked about again");
        Assert.Contains(gateway.Logs.At<RevokedKeyPoller>(LogLevel.Warning), l => l.StartsWith("Dropped every cached API key at revoked-key sequence 3"));
    }

    [Fact]
    public async Task An_unreachable_catalog_is_warned_about_once_per_outage_not_at_every_poll()
    {
        var catalog = new FakeCatalog();
        await using var gateway = Gateway(catalog);
        gateway.CreateClient();
        string[] Unreachable() => gateway.Logs.At<RevokedKeyPoller>(LogLevel.Warning).Where(l => l.StartsWith("Could not read")).ToArray();

        catalog.Down = true;
        await Eventually.True(() => Task.FromResult(catalog.FailedFeedReads >= 5), what: "five failed reads");
        var first = Unreachable();
        catalog.Down = false;
        var read = catalog.FeedReads;
        await Eventually.True(() => Task.FromResult(catalog.FeedReads > read), what: "a read after the outage");
        catalog.Down = true;
        var failed = catalog.FailedFeedReads;
        await Eventually.True(() => Task.FromResult(catalog.FailedFeedReads >= failed + 3), what: "three more failed reads");

        var line = Assert.Single(first);
        Assert.Contains("Unavailable: catalog is down", line);
        Assert.Equal(2, Unreachable().Length);
        Assert.Single(gateway.Logs.At<RevokedKeyPoller>(LogLevel.Information), l => l == "Reading the catalog's revoked API keys again");
    }

    [Fact]
    public async Task A_valid_answer_the_catalog_gave_before_the_key_was_revoked_serves_its_request_but_is_not_cached()
    {
        var catalog = new FakeCatalog();
        var key = catalog.RegisterTown("42187", "Roanne");
        await using var gateway = Gateway(catalog);
        var client = gateway.CreateClient();
        var answer = new TaskCompletionSource();
        catalog.AnswersHeldUntil = answer.Task;

        var inFlight = Get(client, key); // the catalog says "valid" now, but the answer is slow to arrive
        await Eventually.True(() => Task.FromResult(catalog.CallsFor(key) == 1), what: "the key asked about");
        catalog.RotateKey(key);
        var reads = catalog.FeedReads;
        // The read after the one that listed the key: that one was acted on.
        await Eventually.True(() => Task.FromResult(catalog.FeedReads >= reads + 2), what: "the revocation read");
        catalog.AnswersHeldUntil = null;
        answer.SetResult();

        await EdgeAssert.Forwarded(await inFlight);
        await EdgeAssert.Problem(await Get(client, key), HttpStatusCode.Unauthorized);
        Assert.Equal(2, catalog.CallsFor(key));
    }

    [Fact]
    public async Task An_edge_that_could_not_read_the_feed_at_start_drops_what_it_cached_meanwhile_once_it_can()
    {
        var catalog = new FakeCatalog();
        var key = catalog.RegisterTown("42187", "Roanne");
        // The feed fails as a catalog from before it would (keys are still answered): the edge caches, not knowing where
        // the feed stands, so a key revoked meanwhile could be missed by starting from the newest revocation.
        catalog.FeedDown = true;
        await using var gateway = Gateway(catalog);
        var client = gateway.CreateClient();
        await EdgeAssert.Forwarded(await Get(client, key));
        catalog.RotateKey(key);

        catalog.FeedDown = false;

        await Refused(client, key, "the key cached before the first read refused");
    }
}
