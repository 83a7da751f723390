using MongoDB.Driver;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage.Mongo;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

/// <summary><c>Storage:Provider=mongo</c> with no MongoDB server answering: the start ends with one line saying so and what
/// to do, exit code 2. It was "Hosting failed to start", the driver's "A timeout occurred after 30000ms selecting a server
/// using CompositeServerSelector{…}" with its stack twice, and an abort (134), 48 s after the standalone host started.</summary>
public sealed class MongoUnreachableStartTests
{
    [Fact]
    public async Task A_mongodb_that_refuses_the_connection_ends_the_start_with_one_line_naming_the_server_and_the_settings()
    {
        using var closed = new ClosedPort();
        var settings = MongoClientSettings.FromConnectionString($"mongodb://admin:secret-password@127.0.0.1:{closed.Port}/");
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(1);
        var store = new MongoStore(new MongoClient(settings), "tradenet-unreachable");

        var failure = await Record.ExceptionAsync(() => store.EnsureOutboxIndexesAsync());

        var reason = StartFailures.Reason(failure);
        Assert.NotNull(reason);
        Assert.StartsWith($"TradeNet cannot start: no MongoDB server answered at 127.0.0.1:{closed.Port} within 1 s", reason);
        Assert.Contains("Storage:MongoConnectionString", reason);
        Assert.DoesNotContain("secret-password", reason);
    }
}
