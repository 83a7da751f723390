using System.Net;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>Today's standalone host started on the SQLite files an older release wrote (Fixtures/releases, one folder
/// per release; docs/operations.md, "Upgrading").</summary>
public sealed class ReleaseFixtureTests(ITestOutputHelper output)
{
    public static TheoryData<string> Releases() => [.. ReleaseFixture.Names()];

    [Theory]
    [MemberData(nameof(Releases))]
    public async Task Data_an_older_release_wrote_reads_the_same_and_its_trades_and_keys_carry_on(string release)
    {
        var fixture = ReleaseFixture.Load(release);
        var tradeNet = new StandaloneTradeNet { StartFrom = fixture.Folder, OperatorApiKey = fixture.OperatorKey };
        await tradeNet.InitializeAsync();
        try
        {
            await tradeNet.ExplainFailureAsync(async () =>
            {
                using var ops = new TradeNetClient(tradeNet.Gateway, fixture.OperatorKey);
                var towns = fixture.Towns.ToDictionary(t => t.Id, t => new TradeNetClient(tradeNet.Gateway, t.ApiKey));

                // Everything the old release answered, field by field, before anything changes it.
                var now = await fixture.NewAnswersAsync(ops);
                var differences = ReleaseAnswers.WithSpentListingsSettled(fixture.OldAnswers())
                    .SelectMany(old => ReleaseAnswers.Differences(old.Key, old.Value, now[old.Key], fixture.Allowances())).ToList();
                Assert.True(differences.Count == 0, $"{release}: {differences.Count} differences:\n{string.Join("\n", differences.Take(40))}");

                // The keys the old release issued: each town reads itself and its own trades.
                foreach (var (name, id, _) in fixture.Towns)
                {
                    Assert.Equal(name, (await towns[id].Get($"/api/catalog/towns/{id}")).GetProperty("name").GetString());
                    Assert.NotEmpty((await towns[id].Get("/api/matching/trades")).EnumerateArray());
                }

                // A key the town replaced under the old release stays refused: the upgrade brings no old key back.
                foreach (var revoked in fixture.RevokedKeys)
                {
                    using var thief = new TradeNetClient(tradeNet.Gateway, revoked);
                    var refused = await thief.Send(HttpMethod.Get, "/api/matching/trades");
                    Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized,
                        $"{release}: a key replaced before the upgrade answered {(int)refused.StatusCode}");
                }

                // The trades left in flight (agreed, planned, one leg on the road and one failed) are finished.
                foreach (var role in new[] { "on_the_road", "planned", "agreed" })
                    Assert.Equal("completed", (await fixture.FinishAsync(ops, fixture.Trade(role), t => towns[t])).GetProperty("status").GetString());

                // A town registered today trades with one the old release registered, in a round of today's.
                var flow = new TradeFlow(tradeNet.Gateway, fixture.OperatorKey);
                var villerest = await flow.RegisterTown("Villerest", "42332", 46.0189, 4.0381, "wine");
                towns[villerest.Id] = villerest.Client;
                var roanne = fixture.Towns.Single(t => t.Name == "Roanne");
                var fresh = await flow.AgreeSwap(villerest, new TradeFlow.Town(roanne.Id, roanne.ApiKey, towns[roanne.Id]), scenario: 8);
                Assert.Equal("completed", (await fixture.FinishAsync(ops, fresh, t => towns[t])).GetProperty("status").GetString());

                // Goods counted in pieces are proposed whole since 5 Dec (4144470); trades an older release agreed may
                // carry fractions of them, and keep what was agreed (docs/operations.md, "Upgrading").
                var oldTrades = fixture.OldTradeIds();
                var problems = (await ConsistencyAudit.CheckAsync(ops, towns.Keys.ToList()))
                    .Where(p => !(p.EndsWith("not whole pieces", StringComparison.Ordinal) && oldTrades.Any(t => p.StartsWith($"trade {t} ", StringComparison.Ordinal))))
                    .ToList();
                Assert.True(problems.Count == 0, $"{release}: {string.Join("\n", problems)}");
                var failures = tradeNet.Logs().Split('\n').Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)).ToList();
                Assert.True(failures.Count == 0, $"{release}: errors logged:\n{string.Join("\n", failures)}");
                output.WriteLine($"{release}: {fixture.OldAnswers().Count} answers read the same; in-flight trades finished; Villerest traded");
            });
        }
        finally
        {
            await tradeNet.DisposeAsync();
        }
    }
}
