using System.Net;
using TradeNet.Testing;

namespace TradeNet.Gateway.Tests;

/// <summary>Catalog with a second replica that no longer answers (its port closed, as after a kill).</summary>
public sealed class DeadReplicaFixture : EdgeFixture
{
    private readonly ClosedPort _closedPort = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ReverseProxy:Clusters:catalog:Destinations:d2:Address"] = $"http://127.0.0.1:{_closedPort.Port}",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _closedPort.Dispose();
    }
}

public sealed class DeadReplicaTests(DeadReplicaFixture edge) : IClassFixture<DeadReplicaFixture>
{
    /// <summary>YARP takes a destination out of the rotation on the thread pool, after the request that found it failing
    /// (<c>DestinationHealthUpdater.SetPassive</c>), so on a loaded machine requests sent back to back still meet it for a
    /// few milliseconds more: the claim is "within seconds, well before the next active probe (10 s)", not "by request n".</summary>
    [Fact]
    public async Task A_replica_that_stopped_answering_leaves_the_rotation_after_a_few_failed_requests_not_at_the_next_probe()
    {
        var client = edge.Gateway.CreateClient();
        var statuses = new List<HttpStatusCode>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5) && (statuses.Count < 15 || statuses.TakeLast(15).Any(s => s != HttpStatusCode.OK)))
        {
            statuses.Add((await client.GetAsync($"/api/catalog/categories?probe={statuses.Count}")).StatusCode);
            await Task.Delay(10);
        }

        Assert.Contains(HttpStatusCode.BadGateway, statuses); // it was in the rotation
        Assert.All(statuses.TakeLast(15), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(statuses.Count(s => s == HttpStatusCode.BadGateway) <= 10,
            $"{statuses.Count(s => s == HttpStatusCode.BadGateway)} requests met the dead replica: {string.Join(", ", statuses)}");
    }
}
