using Microsoft.Data.Sqlite;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests;

/// <summary>The standalone host's demo seed (on by default) and a folder that already holds a network: a restored backup
/// holds no demo-keys.json (docs/operations.md, "Backups and restore").</summary>
public sealed class DemoSeedTests
{
    [Fact]
    public async Task A_host_started_with_the_seed_on_a_folder_that_already_has_towns_adds_no_demo_towns()
    {
        var fixture = ReleaseFixture.Load(ReleaseFixture.Names().Last());
        var before = TownIds(Path.Combine(fixture.Folder, "catalog.db"));
        Assert.NotEmpty(before);
        var tradeNet = new StandaloneTradeNet
        {
            StartFrom = fixture.Folder,
            OperatorApiKey = fixture.OperatorKey,
            Settings = new Dictionary<string, string> { ["Standalone__Seed"] = "true" },
        };
        await tradeNet.InitializeAsync();
        try
        {
            await tradeNet.ExplainFailureAsync(async () =>
            {
                // The host announces itself once the seed has run (or decided not to).
                var until = DateTime.UtcNow.AddSeconds(90);
                while (!tradeNet.Logs().Contains("TradeNet standalone is running", StringComparison.Ordinal) && DateTime.UtcNow < until)
                    await Task.Delay(200);
                Assert.Contains("TradeNet standalone is running", tradeNet.Logs(), StringComparison.Ordinal);

                using var ops = new TradeNetClient(tradeNet.Gateway, fixture.OperatorKey);
                var after = (await ops.Get("/api/catalog/towns?limit=1000")).EnumerateArray()
                    .Select(t => t.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToList();
                Assert.Equal(before, after);
                Assert.False(File.Exists(Path.Combine(tradeNet.DataDir, "demo-keys.json")), "demo-keys.json was written");
                Assert.DoesNotContain("Demo towns and their API keys", tradeNet.Logs(), StringComparison.Ordinal);
                Assert.Contains("Demo towns not seeded: the network in", tradeNet.Logs(), StringComparison.Ordinal);
            });
        }
        finally
        {
            await tradeNet.DisposeAsync();
        }
    }

    private static List<string> TownIds(string catalogDb)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        { DataSource = catalogDb, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM towns";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return [.. ids.Order(StringComparer.Ordinal)];
    }
}
