using System.Diagnostics;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>Every GET route × every kind of caller, through the real gateway: who may read it and what the answer shows
/// (<see cref="ReadMatrix"/>, expectations in <see cref="ReadMatrixTable"/>). A host of its own: the mutating matrix
/// changes its world as it goes.</summary>
public sealed class ReadMatrixTests(AccessMatrixHost host, ITestOutputHelper output) : IClassFixture<AccessMatrixHost>
{
    private StandaloneTradeNet TradeNet => host.TradeNet;

    [Fact]
    public async Task Every_read_route_the_services_document_has_a_row_in_the_read_matrix()
    {
        var documented = await AccessMatrix.DocumentedAsync(TradeNet.Gateway, m => m == "GET");
        AccessMatrix.AssertRowsMatch(documented, ReadMatrixTable.Routes.Select(r => r.Route).ToList(), nameof(ReadMatrixTable),
            ReadScenes.All, nameof(ReadScenes), verb: "read");
    }

    [Fact]
    public async Task Every_read_route_shows_each_caller_only_what_the_docs_let_it_see()
    {
        await TradeNet.ExplainFailureAsync(async () =>
        {
            var clock = Stopwatch.StartNew();
            var flow = new TradeFlow(TradeNet.Gateway, TradeNet.OperatorApiKey);
            using var ops = flow.Operator();
            var world = new AccessWorld(flow, ops, TradeNet.OperatorApiKey);
            await world.BuildAsync();
            var carried = await ReadWorld.CarriedTradeAsync(world);
            var built = clock.Elapsed;
            var matrix = new AccessMatrix(TradeNet.Gateway, world);
            var reads = new ReadMatrix(matrix, world, carried);

            await reads.RunAsync();

            output.WriteLine($"World built in {built.TotalSeconds:F1} s; {ReadMatrixTable.Routes.Count} routes, {matrix.Calls} calls in " +
                $"{(clock.Elapsed - built).TotalSeconds:F1} s.");
            Assert.True(reads.Failures.Count == 0, $"{reads.Failures.Count} answers differ from the read matrix:\n" +
                string.Join("\n\n", reads.Failures));
        });
    }
}
