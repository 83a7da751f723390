using System.Diagnostics;
using System.Net;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>The access matrix's host with the revocation window held open: gateways read the revoked-key feed only every
/// ten minutes, so a suspended town's cached key keeps passing the edge for the whole test, as it would behind a gateway
/// that cannot reach catalog.</summary>
public sealed class SuspensionWindowHost : IAsyncLifetime
{
    public StandaloneTradeNet TradeNet { get; } = new()
    {
        Settings = new Dictionary<string, string>(AccessMatrixHost.Settings)
        {
            ["Gateway__ApiKeyCache__RevocationPoll"] = "00:10:00",
        },
    };

    public Task InitializeAsync() => TradeNet.InitializeAsync();

    public Task DisposeAsync() => TradeNet.DisposeAsync();
}

/// <summary>What a suspended town can still do while a gateway trusts its key (<see cref="SuspensionWindow"/>).</summary>
public sealed class SuspensionWindowTests(SuspensionWindowHost host, ITestOutputHelper output) : IClassFixture<SuspensionWindowHost>
{
    private StandaloneTradeNet TradeNet => host.TradeNet;

    [Fact]
    public void Every_route_of_the_access_matrix_has_a_row_for_the_suspended_towns_window()
    {
        var routes = AccessMatrixTable.Routes.Select(r => r.Route).ToList();
        Assert.Equal(routes.Order(), SuspensionWindow.Rows.Select(r => r.Route).Order());
    }

    [Fact]
    public async Task A_suspended_town_whose_key_a_gateway_still_trusts_only_finishes_the_goods_already_on_the_road()
    {
        await TradeNet.ExplainFailureAsync(async () =>
        {
            var clock = Stopwatch.StartNew();
            var flow = new TradeFlow(TradeNet.Gateway, TradeNet.OperatorApiKey);
            using var ops = flow.Operator();
            var world = new AccessWorld(flow, ops, TradeNet.OperatorApiKey);
            // A: listings, a van carrying both its agreed trades (one leg given, one received each), a proposal with O to
            // answer, a second vehicle and listings for the rows that change them.
            await world.BuildTradesAsync();
            var matrix = new AccessMatrix(TradeNet.Gateway, world);
            var window = new SuspensionWindow(world, matrix);
            await window.PrepareAsync();
            var built = clock.Elapsed;

            await ops.Post($"/api/catalog/towns/{world.A.Id}/suspension", new { reason = "suspension window: suspended on purpose" }, HttpStatusCode.OK);
            // Consumed: logistics withdrew A's vehicles, matching cancelled A's proposal (its listings withdrawn).
            await Eventually.Until(() => ops.Get("/api/logistics/vehicles?limit=1000"),
                v => v.EnumerateArray().All(x => x.GetProperty("homeTown").GetString() != world.A.Id), TimeSpan.FromSeconds(15),
                "logistics withdraws the suspended town's vehicles");
            await Eventually.Until(() => ops.Get($"/api/matching/trades/{window.ProposalId}"),
                t => t.GetProperty("status").GetString() == "cancelled", TimeSpan.FromSeconds(15), "matching cancels the suspended town's proposal");
            // The window is open: the edge still lets A's key through.
            Assert.Equal(HttpStatusCode.OK, (await world.A.Client.Send(HttpMethod.Get, "/api/logistics/vehicles")).StatusCode);

            await window.RunAsync();

            output.WriteLine($"World built in {built.TotalSeconds:F1} s, {SuspensionWindow.Rows.Length} routes in " +
                $"{(clock.Elapsed - built).TotalSeconds:F1} s. What the suspended town got:\n{string.Join('\n', window.Table)}");
            var failures = window.Failures.Concat(matrix.Failures).ToList();
            Assert.True(failures.Count == 0, $"{failures.Count} answers differ from what the docs say a suspended town gets:\n" +
                string.Join("\n\n", failures));
        });
    }
}
