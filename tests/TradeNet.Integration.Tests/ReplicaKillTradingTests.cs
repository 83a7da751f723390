using System.Globalization;
using System.Text.RegularExpressions;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>Two processes of catalog, matching and logistics on one data folder, the gateway routing to both of each
/// (docs/operations.md, "Several processes per role").</summary>
public sealed class ReplicatedTradeNet() : DistributedTradeNet(replicas: 2);

/// <summary>Towns trading at random while one replica of a role at a time is killed with SIGKILL and started again
/// (<see cref="Chaos"/> drawing only such kills): each answer one the action expects, or lost to the dead replica;
/// afterwards nothing lost, booked twice or stranded, no leg planned twice, no listing over-committed, every outbox
/// drained (the relays took turns through the <c>leases</c> table), no error or skipped queue (<see cref="ConsistencyAudit"/>).
/// A network of its own, as <see cref="ChaosTradingTests"/>.</summary>
public sealed partial class ReplicaKillTradingTests(ReplicatedTradeNet tradeNet, ITestOutputHelper output) : IClassFixture<ReplicatedTradeNet>
{
    /// <summary>Another seed for a run by hand (<c>TRADENET_REPLICA_KILL_SEED=11</c>); CI runs seed 5.</summary>
    public const string SeedVariable = "TRADENET_REPLICA_KILL_SEED";

    /// <summary>Each of the six replicas killed once, in a seeded order, then four more drawn at random: every relay and
    /// round lease holder dies at some point, and some replica twice.</summary>
    public static ChaosOptions ReplicaKills => new()
    {
        Outages = 10,
        Kinds = [.. new[] { "catalog", "matching", "logistics" }
            .SelectMany(s => new[] { DistributedTradeNet.ReplicaName(s, 1), DistributedTradeNet.ReplicaName(s, 2) })
            .Select(name => "kill " + name)],
    };

    [Fact]
    public Task Towns_trading_while_one_replica_of_a_role_after_another_is_killed_lose_no_trade_and_book_none_twice() =>
        tradeNet.ExplainFailureAsync(async () =>
        {
            var seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), CultureInfo.InvariantCulture, out var s) ? s : 5;
            var chaos = new Chaos(tradeNet, seed, ReplicaKills);
            var trading = await RandomTradingScenario.RunAsync(tradeNet, seed, ChaosTradingTests.Light, chaos);

            output.WriteLine($"seed {seed}: {RandomTradingScenario.Summary(trading)}");
            Assert.Contains("accept 200", trading.Answers.Keys);
            // Every relay holder was killed at some point, so each outbox drained only because another holder took the
            // hold over: the run exercised the leases, not one process's luck. Each process is a holder of its own: two
            // replicas under one name would both publish, each believing the hold its own.
            foreach (var service in new[] { "catalog", "matching", "logistics" })
            {
                var holders = RelayHolders(service);
                output.WriteLine($"{service} outbox published by {holders.Count} relays: {string.Join(", ", holders.Select(h => $"{h.Key} ({string.Join(", ", h.Value)})"))}");
                Assert.True(holders.Count >= 2, $"{service}: the outbox relay's hold never passed to another holder ({string.Join(", ", holders.Keys)})");
                Assert.All(holders, h => Assert.True(h.Value.Count == 1, $"{service}: relay holder {h.Key} published from {string.Join(", ", h.Value)}"));
            }
        });

    /// <summary>The holders that took an outbox's hold (OutboxRelay logs "… ({holder}) publishes this outbox" when it
    /// takes the hold), each with the processes that logged it as theirs (killed processes first).</summary>
    private Dictionary<string, List<string>> RelayHolders(string service) =>
        tradeNet.EveryProcess.Where(p => p.Name == service || p.Name.StartsWith(service + "-", StringComparison.Ordinal))
            .SelectMany(p => RelayTook().Matches(p.Output).Select(m => (Process: p.Name, Holder: m.Groups["holder"].Value)))
            .Distinct()
            .GroupBy(h => h.Holder, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(h => h.Process).ToList(), StringComparer.Ordinal);

    [GeneratedRegex(@"\((?<holder>[^()\s]+)\) publishes this outbox")]
    private static partial Regex RelayTook();
}
