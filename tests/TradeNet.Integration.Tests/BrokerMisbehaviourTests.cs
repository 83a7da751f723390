using System.Diagnostics;
using System.Globalization;
using System.Net;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>The broker up but misbehaving (docs/operations.md, "When RabbitMQ is up but misbehaves"): a resource alarm
/// that blocks publishers, a broker rebuilt empty, a queue deleted by hand. Each test leaves the network drained.</summary>
public sealed class BrokerMisbehaviourTests(DistributedTradeNet tradeNet, ITestOutputHelper output) : IClassFixture<DistributedTradeNet>
{
    // Longer than the relay's trusted window (5 s) and its hold (10 s); TRADENET_ALARM_SECONDS for the long runs by hand.
    private static readonly TimeSpan Alarm = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("TRADENET_ALARM_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 12);

    [Fact]
    public async Task Listings_written_during_a_memory_alarm_answer_at_once_and_reach_matching_once_it_clears()
    {
        try
        {
            var flow = new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey);
            var town = await flow.RegisterTown("Ambierle", "42003", 46.1042, 3.8925);
            var (category, _) = await flow.Categories(5);

            await Ctl("set_vm_memory_high_watermark", "0.0000001");
            var cleared = false;
            var written = new List<string>();
            var slowest = TimeSpan.Zero;
            string? health = null;
            try
            {
                await Eventually.True(async () => (await Ctl("eval", "rabbit_alarm:get_alarms().")).Contains("resource_limit,memory", StringComparison.Ordinal),
                    TimeSpan.FromSeconds(20), "the memory alarm");
                var alarm = Stopwatch.StartNew();
                var looked = TimeSpan.Zero;
                while (alarm.Elapsed < Alarm)
                {
                    if (alarm.Elapsed - looked > TimeSpan.FromSeconds(30))
                    {
                        looked = alarm.Elapsed;
                        output.WriteLine($"{alarm.Elapsed.TotalSeconds:F0} s into the alarm: catalog /health {await Health("catalog")}");
                    }
                    var request = Stopwatch.StartNew();
                    var listing = await TradeFlow.Publish(town, "offer", category, 10 + written.Count);
                    if (request.Elapsed > slowest) slowest = request.Elapsed;
                    written.Add(listing.GetProperty("id").GetString()!);
                    await Task.Delay(TimeSpan.FromMilliseconds(500));
                }
                health = await Health("catalog");
                var blockedLog = CountOf(tradeNet.Processes.Single(p => p.Name == "catalog").Output, "RabbitMQ blocked this service's connection");
                output.WriteLine($"catalog logged the block {blockedLog} times: " +
                    tradeNet.Processes.Single(p => p.Name == "catalog").Output.Split('\n').FirstOrDefault(l => l.Contains("RabbitMQ blocked", StringComparison.Ordinal)));
                // The catalog has published into the alarm: its /health says so, and its log names the alarm.
                Assert.StartsWith("200 Degraded", health, StringComparison.Ordinal);
                Assert.Equal(1, blockedLog);
                output.WriteLine($"During the alarm ({Alarm.TotalSeconds:F0} s): {written.Count} listings, slowest answer {slowest.TotalMilliseconds:F0} ms; catalog /health: {health}");
                output.WriteLine($"Connections: {await Ctl("list_connections", "name", "state")}");
            }
            finally
            {
                await Ctl("set_vm_memory_high_watermark", "0.4");
                cleared = true;
            }
            Assert.True(cleared);
            await Eventually.True(async () => (await Health("catalog")).StartsWith("200 Healthy", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "catalog Healthy once the alarm cleared");
            var drain = Stopwatch.StartNew();
            using var ops = flow.Operator();
            await Eventually.True(async () =>
            {
                var book = (await ops.Get("/api/matching/book?limit=500")).EnumerateArray().Select(l => l.GetProperty("id").GetString()).ToHashSet();
                return written.All(book.Contains);
            }, TimeSpan.FromSeconds(90), "every listing written during the alarm in matching's book");
            output.WriteLine($"All in matching's book {drain.Elapsed.TotalSeconds:F1} s after the alarm cleared");
            output.WriteLine(await Backlog.WaitDrainedAsync(tradeNet, TimeSpan.FromMinutes(2)));
            Assert.Empty(await Backlog.SetAsideAsync(tradeNet.Rabbit));
            var catalogLog = tradeNet.Processes.Single(p => p.Name == "catalog").Output;
            output.WriteLine($"catalog's relay: {CountOf(catalogLog, "could not publish")} 'could not publish' warnings, " +
                $"{CountOf(catalogLog, "publishes again after")} 'publishes again' lines");
            // No request waited on the broker: the API answers from the store, the outbox holds the events.
            Assert.True(slowest < TimeSpan.FromSeconds(5), $"a listing took {slowest} to answer during the alarm");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw tradeNet.WithLogs(ex);
        }
    }

    [Fact]
    public async Task A_broker_rebuilt_empty_gets_the_services_queues_back_and_listings_reach_matching_again()
    {
        try
        {
            var flow = new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey);
            var town = await flow.RegisterTown("Renaison", "42181", 46.0497, 3.9236);
            var (category, _) = await flow.Categories(6);
            await Backlog.WaitDrainedAsync(tradeNet, TimeSpan.FromMinutes(2));

            // A town writes a listing every half second throughout, as towns would.
            var clock = Stopwatch.StartNew();
            var written = new List<(string Id, TimeSpan At)>();
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var at = clock.Elapsed;
                    var id = (await TradeFlow.Publish(town, "offer", category, 10 + written.Count)).GetProperty("id").GetString()!;
                    lock (written) written.Add((id, at));
                    await Task.Delay(TimeSpan.FromMilliseconds(500));
                }
            });
            await Task.Delay(TimeSpan.FromSeconds(2));
            // Matching down across the rebuild: what the old broker holds for it is lost, and the catalog reconnects first.
            await tradeNet.KillAsync("matching");
            await Task.Delay(TimeSpan.FromSeconds(2));

            // What an operator gets after losing the broker's disk: the same node, started again with nothing in it.
            var stopped = clock.Elapsed;
            await tradeNet.Rabbit.StopAsync();
            var down = clock.Elapsed;
            Directory.Delete(Path.Combine(tradeNet.Rabbit.DataDir, "mnesia"), recursive: true);
            await tradeNet.Rabbit.RestartAsync();
            var started = clock.Elapsed;
            await Eventually.True(async () => (await Ctl("list_queues", "name", "consumers")).Contains("catalog-trade-completed\t1", StringComparison.Ordinal),
                TimeSpan.FromSeconds(120), "the catalog connected to the empty broker");
            var catalogBack = clock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(3)); // the catalog's relay publishes what it held meanwhile
            await tradeNet.StartAgainAsync("matching");
            await Eventually.True(async () => (await Ctl("list_queues", "name", "consumers")).Contains("matching-listing-published\t1", StringComparison.Ordinal),
                TimeSpan.FromSeconds(120), "matching's queue declared again, with its consumer");
            var queueBack = clock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(1));
            await stop.CancelAsync();
            await writer;
            output.WriteLine(await Backlog.WaitDrainedAsync(tradeNet, TimeSpan.FromMinutes(2)));

            using var ops = flow.Operator();
            var book = (await ops.Get("/api/matching/book?limit=500")).EnumerateArray().Select(l => l.GetProperty("id").GetString()).ToHashSet();
            var lost = written.Where(w => !book.Contains(w.Id)).ToList();
            string Span(IEnumerable<(string Id, TimeSpan At)> ws) => string.Join(", ", ws.Select(w => $"{w.At.TotalSeconds:F1} s"));
            output.WriteLine($"Broker stopped at {stopped.TotalSeconds:F1}–{down.TotalSeconds:F1} s, started empty at {started.TotalSeconds:F1} s, catalog back at " +
                $"{catalogBack.TotalSeconds:F1} s, matching's queue at " +
                $"{queueBack.TotalSeconds:F1} s; {written.Count} listings written, {lost.Count} never reached matching, written at: {Span(lost)}");
            Assert.Empty(await Backlog.SetAsideAsync(tradeNet.Rabbit));
            // What the old broker held is gone; nothing written after it went down is: the catalog's relay keeps what no queue
            // takes (published mandatory, returned) until matching's queue is back.
            Assert.DoesNotContain(lost, w => w.At > down);

            var returned = CountOf(tradeNet.Processes.Single(p => p.Name == "catalog").Output, "returned by RabbitMQ");
            output.WriteLine($"\"returned by RabbitMQ\" {returned} times in catalog's log while matching's queue was missing");

            // The operator's recovery: moving the town (a metre, then back) re-announces each of its open listings.
            var moved = Stopwatch.StartNew();
            foreach (var lat in new[] { 46.04971, 46.0497 })
            {
                using var answer = await ops.Send(HttpMethod.Put, $"/api/catalog/towns/{town.Id}", new { name = "Renaison", lat, lon = 3.9236, specialties = Array.Empty<string>() });
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }
            await Eventually.True(async () =>
            {
                var after = (await ops.Get("/api/matching/book?limit=500")).EnumerateArray().Select(l => l.GetProperty("id").GetString()).ToHashSet();
                return written.All(w => after.Contains(w.Id));
            }, TimeSpan.FromSeconds(60), "every listing in matching's book after the town's moves");
            output.WriteLine($"Every listing in matching's book {moved.Elapsed.TotalSeconds:F1} s after the first move");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw tradeNet.WithLogs(ex);
        }
    }

    [Fact]
    public async Task A_consumer_queue_deleted_by_hand_comes_back_and_a_listing_written_before_it_is_back_still_reaches_matching()
    {
        try
        {
            var flow = new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey);
            var town = await flow.RegisterTown("Saint-André-d'Apchon", "42199", 46.0331, 3.9319);
            var (category, _) = await flow.Categories(7);
            await Backlog.WaitDrainedAsync(tradeNet, TimeSpan.FromMinutes(2));

            await Ctl("delete_queue", "matching-listing-published");
            var deleted = Stopwatch.StartNew();
            var first = (await TradeFlow.Publish(town, "offer", category, 13)).GetProperty("id").GetString();
            await Eventually.True(async () => (await Ctl("list_queues", "name", "consumers")).Contains("matching-listing-published\t1", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), "matching's queue declared again, with its consumer");
            output.WriteLine($"Queue back with its consumer {deleted.Elapsed.TotalSeconds:F1} s after the delete");
            output.WriteLine($"Bindings: {string.Join("\n", (await Ctl("list_bindings", "source_name", "destination_name")).Split('\n').Where(l => l.Contains("listing-published", StringComparison.Ordinal)))}");
            var second = (await TradeFlow.Publish(town, "offer", category, 14)).GetProperty("id").GetString();
            using var ops = flow.Operator();
            async Task<bool> InBook(string? id) => (await ops.Get("/api/matching/book?limit=500")).EnumerateArray().Any(l => l.GetProperty("id").GetString() == id);
            var arrived = false;
            try
            {
                await Eventually.True(() => InBook(second), TimeSpan.FromSeconds(30), "a listing written after the queue came back in matching's book");
                arrived = true;
            }
            finally
            {
                output.WriteLine($"{deleted.Elapsed.TotalSeconds:F1} s after the delete: the one written after it arrived: {arrived}; the one written at once: {await InBook(first)}");
            }
            // Written while no queue took ListingPublished: the relay kept it (returned) until the queue was back.
            await Eventually.True(() => InBook(first), TimeSpan.FromSeconds(30), "the listing written at the delete in matching's book");
            output.WriteLine($"Both listings in matching's book {deleted.Elapsed.TotalSeconds:F1} s after the delete");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw tradeNet.WithLogs(ex);
        }
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    private async Task<string> Ctl(params string[] args)
    {
        var (exitCode, stdout, stderr) = await tradeNet.Rabbit.CtlAsync(args);
        Assert.True(exitCode == 0, $"rabbitmqctl {string.Join(' ', args)} failed ({exitCode}): {stdout} {stderr}");
        return stdout;
    }

    private async Task<string> Health(string service)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var response = await http.GetAsync(tradeNet.Health[service]);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }
}
