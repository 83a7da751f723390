using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using TradeNet.Shared.Storage;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>Two processes of catalog, matching and logistics on one data folder, the gateway routing to both of each
/// (docs/operations.md, "Several processes per role").</summary>
public sealed class ReplicatedTradeNet() : DistributedTradeNet(replicas: 2)
{
    /// <summary>Each log line stamped (UTC, to the microsecond, when it is logged) and on one line, and the relays'
    /// renewals logged: when each relay may publish (<see cref="ReplicaKillTradingTests"/>, RelayWindows).</summary>
    protected override IReadOnlyDictionary<string, string> ServiceSettings { get; } = new Dictionary<string, string>
    {
        // Named, or the console logger overwrites these options with its own obsolete ones (unset).
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = ReplicaKillTradingTests.StampFormat + " ",
        ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__LogLevel__TradeNet.Shared.Storage.OutboxRelay"] = "Debug",
    };
}

/// <summary>Towns trading at random while one replica of a role at a time is killed with SIGKILL and started again
/// (<see cref="Chaos"/> drawing only such kills): each answer one the action expects, or lost to the dead replica;
/// afterwards nothing lost, booked twice or stranded, no leg planned twice, no listing over-committed, every outbox
/// drained (the relays took turns through the <c>leases</c> table), no error or skipped queue (<see cref="ConsistencyAudit"/>).
/// A network of its own, as <see cref="ChaosTradingTests"/>.</summary>
public sealed partial class ReplicaKillTradingTests(ReplicatedTradeNet tradeNet, ITestOutputHelper output) : IClassFixture<ReplicatedTradeNet>
{
    /// <summary>Another seed for a run by hand (<c>TRADENET_REPLICA_KILL_SEED=11</c>); CI runs seed 5.</summary>
    public const string SeedVariable = "TRADENET_REPLICA_KILL_SEED";

    /// <summary>Each of the six replicas killed once, in a seeded order, then two more drawn at random: every relay and
    /// round lease holder dies at some point, and some replica twice. Eight kills with pauses of at most 3 s keep the run
    /// near CI's 90 s on a loaded 2-core machine (ten with 4 s pauses took up to 1 m 47 s).</summary>
    public static ChaosOptions ReplicaKills => new()
    {
        Outages = 8,
        MaxPause = TimeSpan.FromSeconds(3),
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
                // The consumers' inboxes discard what two relays publish at once, so the audit cannot see it: the
                // windows in which each holder may have published must not meet another holder's.
                var windows = RelayWindows(service);
                // Every holder's lines read with their stamps, or this check would pass on lines it cannot parse.
                Assert.Equal(holders.Keys.Order(StringComparer.Ordinal), windows.Select(w => w.Holder).Distinct().Order(StringComparer.Ordinal));
                var overlaps = Overlaps(windows);
                output.WriteLine($"{service}: {windows.Count} publishing windows of {windows.Select(w => w.Holder).Distinct().Count()} holders, {overlaps.Count} overlapping");
                Assert.True(overlaps.Count == 0, $"{service}: two relays held the outbox at once ({overlaps.Count}): {string.Join("; ", overlaps.Take(5))}");
            }
        });

    /// <summary>The chaos above restarts every replica it kills, and a restarted replica often wins the race for the
    /// dead holder's lease (it is idle, the survivor serves every request meanwhile): this holds the other half of the
    /// claim, that a survivor alone takes the outbox over, within the dead holder's hold (10 s) and a poll.</summary>
    [Fact]
    public Task A_relay_holder_killed_for_good_leaves_its_outbox_to_the_other_replica_within_its_hold() =>
        tradeNet.ExplainFailureAsync(async () =>
        {
            var holder = await RelayLeaseHolderAsync("catalog");
            var dead = tradeNet.Processes.Single(p => p.Name.StartsWith("catalog", StringComparison.Ordinal) && p.Output.Contains($"({holder}) publishes this outbox", StringComparison.Ordinal));
            await tradeNet.KillAsync(dead.Name);
            var watch = Stopwatch.StartNew();
            try
            {
                // An event to hand over: a town registers (TownRegistered). The gateway may try the dead replica first
                // (502); the idempotency key makes the retry safe.
                using var anonymous = new TradeNetClient(tradeNet.Gateway, null);
                var key = Guid.NewGuid().ToString("N");
                HttpStatusCode status;
                var attempts = 0;
                do
                {
                    using var response = await anonymous.Send(HttpMethod.Post, "/api/catalog/towns",
                        new { name = "Ambierle", lat = 46.1033, lon = 3.8936, specialties = new[] { "wine" } }, ("Idempotency-Key", key));
                    status = response.StatusCode;
                }
                while (status == HttpStatusCode.BadGateway && ++attempts < 10);
                Assert.Equal(HttpStatusCode.Created, status);
                IReadOnlyList<string> pending;
                while ((pending = await Backlog.PendingOutboxesAsync(tradeNet.DataDir)).Count > 0 && watch.Elapsed < TimeSpan.FromSeconds(40))
                    await Task.Delay(200);
                var drained = watch.Elapsed;
                var taker = await RelayLeaseHolderAsync("catalog");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{dead.Name} (relay {holder}) killed; outboxes {(pending.Count == 0 ? "drained" : "still pending")} {drained.TotalSeconds:F1} s later, relay {taker}"));
                Assert.True(pending.Count == 0, "Not drained 40 s after the relay holder died: " + string.Join("; ", pending));
                // Its hold (10 s), the survivor's standby poll (1 s) and a loaded machine's seconds.
                Assert.True(drained < TimeSpan.FromSeconds(20), $"The survivor took {drained} to drain the dead holder's outbox");
                Assert.NotEqual(holder, taker);
            }
            finally
            {
                await tradeNet.StartAgainAsync(dead.Name);
            }
        });

    private async Task<string> RelayLeaseHolderAsync(string service)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(tradeNet.DataDir, service + ".db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT holder FROM leases WHERE name = 'outbox-relay'";
        return (string)(await command.ExecuteScalarAsync())!;
    }

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

    /// <summary>The services' log stamp (set in <see cref="ReplicatedTradeNet"/>).</summary>
    public const string StampFormat = "yyyy-MM-ddTHH:mm:ss.ffffffZ";

    /// <summary>When each relay of a service may have published: a relay publishes only within
    /// <see cref="OutboxRelay{TStore}.Trusted"/> (5 s) of taking or renewing its hold (each logged, the line stamped
    /// after the store answered), and not after its process was killed. Another relay takes over no sooner than the hold's
    /// 10 s after the last renewal (the lease's expiry, one host's clock), so with the lease working these windows of two
    /// holders never meet, with 5 s to spare for a slow store call or publish: no tolerance is allowed.</summary>
    private List<(string Holder, string Process, DateTimeOffset From, DateTimeOffset To)> RelayWindows(string service) =>
        [.. tradeNet.EveryProcess.Where(p => p.Name == service || p.Name.StartsWith(service + "-", StringComparison.Ordinal))
            .SelectMany(p => RelayHeld().Matches(p.Output).Select(m =>
            {
                var from = DateTimeOffset.ParseExact(m.Groups["at"].Value, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                var to = from + OutboxRelay<IOutboxStore>.Trusted;
                return (m.Groups["holder"].Value, p.Name, from, p.StoppedAt is { } stopped && stopped < to ? stopped : to);
            }))];

    /// <summary>Each pair of windows of two different holders that meet, described.</summary>
    private static List<string> Overlaps(List<(string Holder, string Process, DateTimeOffset From, DateTimeOffset To)> windows) =>
        [.. windows.SelectMany(a => windows.Where(b => string.CompareOrdinal(a.Holder, b.Holder) < 0 && a.From < b.To && b.From < a.To)
            .Select(b => string.Create(CultureInfo.InvariantCulture,
                $"{a.Process} ({a.Holder}) {a.From:HH:mm:ss.fff}–{a.To:HH:mm:ss.fff} and {b.Process} ({b.Holder}) {b.From:HH:mm:ss.fff}–{b.To:HH:mm:ss.fff}")))];

    // A take ("publishes this outbox") or a renewal ("renews its hold"), with the line's stamp.
    [GeneratedRegex(@"^(?<at>\S+) \w+: .*Outbox relay \w+ \((?<holder>[^()\s]+)\) (publishes this outbox|renews its hold)", RegexOptions.Multiline)]
    private static partial Regex RelayHeld();
}
