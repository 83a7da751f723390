using System.Diagnostics;
using System.Globalization;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>The broker up but misbehaving (docs/operations.md, "When RabbitMQ is up but misbehaves"): a resource alarm
/// that blocks publishers. Each test leaves the network drained.</summary>
public sealed class BrokerMisbehaviourTests(DistributedTradeNet tradeNet, ITestOutputHelper output) : IClassFixture<DistributedTradeNet>
{
    // Longer than the relay's trusted window (5 s) and its hold (10 s); TRADENET_ALARM_SECONDS for the long runs by hand.
    private static readonly TimeSpan Alarm = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("TRADENET_ALARM_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 15);

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
