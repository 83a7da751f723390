using System.Diagnostics;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>The standalone host as the access matrix needs it: planning only on request, a leg held after one failed
/// shipment (so a held transfer is at hand), and the test's own internal token key, so the forged tokens it sends are
/// ones the services would believe.</summary>
public sealed class AccessMatrixHost : IAsyncLifetime
{
    public StandaloneTradeNet TradeNet { get; } = new() { Settings = Settings };

    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Auth__InternalTokenKey"] = TestSettings.TokenKey,
        ["Gateway__RateLimit__PermitsPerMinute"] = "100000",
        ["Logistics__PlanningInterval"] = "00:00:00",
        ["Logistics__PlanningTimeLimit"] = "00:00:01",
        ["Logistics__MaxDeliveryAttempts"] = "1",
        ["Matching__RoundTimeLimit"] = "00:00:03",
    };

    public Task InitializeAsync() => TradeNet.InitializeAsync();

    public Task DisposeAsync() => TradeNet.DisposeAsync();
}

/// <summary>Every mutating route × every kind of caller, through the real gateway (<see cref="AccessMatrix"/>,
/// expectations in <see cref="AccessMatrixTable"/>).</summary>
public sealed class AccessMatrixTests(AccessMatrixHost host, ITestOutputHelper output) : IClassFixture<AccessMatrixHost>
{
    private StandaloneTradeNet TradeNet => host.TradeNet;

    [Fact]
    public async Task Every_mutating_route_the_services_document_has_a_row_in_the_access_matrix()
    {
        var documented = await AccessMatrix.DocumentedMutationsAsync(TradeNet.Gateway);
        AccessMatrix.AssertRowsMatch(documented, AccessMatrixTable.Routes.Select(r => r.Route).ToList(), nameof(AccessMatrixTable),
            AccessScenes.All, nameof(AccessScenes));
    }

    [Fact]
    public async Task Every_mutating_route_refuses_every_caller_the_docs_refuse_and_changes_nothing_for_them()
    {
        await TradeNet.ExplainFailureAsync(async () =>
        {
            var clock = Stopwatch.StartNew();
            var flow = new TradeFlow(TradeNet.Gateway, TradeNet.OperatorApiKey);
            using var ops = flow.Operator();
            var world = new AccessWorld(flow, ops, TradeNet.OperatorApiKey);
            await world.BuildAsync();
            var built = clock.Elapsed;
            var matrix = new AccessMatrix(TradeNet.Gateway, world);

            await matrix.RunAsync();

            output.WriteLine($"World built in {built.TotalSeconds:F1} s; {AccessMatrixTable.Routes.Count} routes, {matrix.Calls} calls in " +
                $"{(clock.Elapsed - built).TotalSeconds:F1} s.");
            Assert.True(matrix.Failures.Count == 0, $"{matrix.Failures.Count} answers differ from the access matrix:\n" +
                string.Join("\n\n", matrix.Failures));
        });
    }
}
