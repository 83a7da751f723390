using System.Net;
using System.Net.Sockets;
using TradeNet.Testing;

namespace TradeNet.Gateway.Tests;

/// <summary>Catalog on a closed port (as after a crash); matching on a port that takes connections and never answers
/// (a hung process), with a one-second activity timeout so the test need not wait the 90 s matching has.</summary>
public sealed class UnansweredServiceFixture : EdgeFixture
{
    private readonly ClosedPort _closed = new();
    private readonly TcpListener _silent = StartSilent();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ReverseProxy:Clusters:catalog:Destinations:d1:Address"] = $"http://127.0.0.1:{_closed.Port}",
        ["ReverseProxy:Clusters:matching:Destinations:d1:Address"] = $"http://127.0.0.1:{((IPEndPoint)_silent.LocalEndpoint).Port}",
        ["ReverseProxy:Clusters:matching:HttpRequest:ActivityTimeout"] = "00:00:01",
    };

    // Listening is enough: the system completes the connections in its backlog, and nothing ever reads or answers them.
    private static TcpListener StartSilent()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _silent.Stop();
        _closed.Dispose();
    }
}

public sealed class UnansweredServiceTests(UnansweredServiceFixture edge) : IClassFixture<UnansweredServiceFixture>
{
    [Fact]
    public async Task A_service_that_cannot_be_reached_gets_a_502_naming_the_service()
    {
        var client = edge.Gateway.CreateClient();

        var problem = await EdgeAssert.Problem(await client.GetAsync("/api/catalog/categories"), HttpStatusCode.BadGateway);

        Assert.Contains("The catalog service could not be reached", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_write_a_service_did_not_answer_in_time_gets_a_504_saying_it_may_have_been_applied()
    {
        var client = edge.Gateway.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", GatewayFactory.OperatorKey);

        var problem = await EdgeAssert.Problem(await client.PostAsync("/api/matching/rounds", null), HttpStatusCode.GatewayTimeout);

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("The matching service did not answer within 1 s", detail);
        Assert.Contains("may have been applied", detail);
        Assert.Contains("Idempotency-Key", detail);
    }

    [Fact]
    public async Task A_write_that_never_reached_its_service_is_told_so_and_that_sending_it_again_is_safe()
    {
        var client = edge.Gateway.CreateClient();

        var problem = await EdgeAssert.Problem(await client.PostAsync("/api/catalog/towns", null), HttpStatusCode.BadGateway);

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("nothing reached it", detail);
        Assert.DoesNotContain("may have been applied", detail);
    }

    [Fact]
    public async Task A_read_a_service_did_not_answer_in_time_is_not_told_it_may_have_changed_something()
    {
        var client = edge.Gateway.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", GatewayFactory.OperatorKey);

        var problem = await EdgeAssert.Problem(await client.GetAsync("/api/matching/rounds"), HttpStatusCode.GatewayTimeout);

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("The matching service did not answer within 1 s", detail);
        Assert.DoesNotContain("may have been applied", detail);
    }
}
