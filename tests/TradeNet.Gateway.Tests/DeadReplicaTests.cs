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
    [Fact]
    public async Task A_replica_that_stopped_answering_leaves_the_rotation_after_a_few_failed_requests_not_at_the_next_probe()
    {
        var client = edge.Gateway.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
            statuses.Add((await client.GetAsync($"/api/catalog/categories?probe={i}")).StatusCode);

        Assert.Contains(HttpStatusCode.BadGateway, statuses); // it was in the rotation
        Assert.All(statuses.TakeLast(15), s => Assert.Equal(HttpStatusCode.OK, s));
    }
}
