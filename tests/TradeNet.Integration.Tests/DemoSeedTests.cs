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
        await CheckRunningAsync(tradeNet, async () =>
        {

            Assert.Equal(before, await TownIdsAsync(tradeNet, fixture.OperatorKey));
            Assert.False(File.Exists(Path.Combine(tradeNet.DataDir, "demo-keys.json")), "demo-keys.json was written");
            Assert.DoesNotContain("Demo towns and their API keys", tradeNet.Logs(), StringComparison.Ordinal);
            Assert.Contains("Demo towns not seeded: the network in", tradeNet.Logs(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_seed_cut_short_whose_folder_then_got_a_restored_backup_adds_no_demo_towns_to_it()
    {
        var fixture = ReleaseFixture.Load(ReleaseFixture.Names().Last());
        var before = TownIds(Path.Combine(fixture.Folder, "catalog.db"));
        var tradeNet = new StandaloneTradeNet
        {
            StartFrom = fixture.Folder,
            OperatorApiKey = fixture.OperatorKey,
            Settings = new Dictionary<string, string> { ["Standalone__Seed"] = "true" },
        };
        // The plan a seed cut short an hour ago left (its keys registered nothing the restored catalog knows).
        Directory.CreateDirectory(tradeNet.DataDir);
        string Key() => "demo-seed-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(Path.Combine(tradeNet.DataDir, "demo-seed.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            startedAt = DateTimeOffset.UtcNow.AddHours(-1),
            towns = Enumerable.Range(0, 5).Select(_ => Key()).ToArray(),
            listings = Enumerable.Range(0, 10).Select(_ => Key()).ToArray(),
        }));
        await CheckRunningAsync(tradeNet, async () =>
        {
            Assert.Equal(before, await TownIdsAsync(tradeNet, fixture.OperatorKey));
            Assert.False(File.Exists(Path.Combine(tradeNet.DataDir, "demo-keys.json")), "demo-keys.json was written");
            Assert.Contains("has towns it did not register", tradeNet.Logs(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_seed_cut_short_is_finished_by_the_next_start_with_every_demo_towns_key()
    {
        using var folder = new TestSettings();
        // The gateway lets two registrations a minute through: the seed's third gets 429, after two towns are registered
        // and their keys given (the seed cut short as a stop or a crash cuts it, but at a known place).
        var first = new StandaloneTradeNet
        {
            Settings = new Dictionary<string, string>
            {
                ["Standalone__Seed"] = "true", ["Storage__DataDir"] = folder.DataDir, ["Gateway__RateLimit__RegistrationsPerMinute"] = "2",
            },
        };
        try
        {
            await first.InitializeAsync();
            await WaitUntilRunningAsync(first);
        }
        catch (InvalidOperationException) { /* the seed's failure ended the host (as it did before it was finishable) */ }
        finally
        {
            await first.DisposeAsync();
        }
        Assert.False(File.Exists(Path.Combine(folder.DataDir, "demo-keys.json")), "the first seed was not cut short:\n" + first.Logs());

        var second = new StandaloneTradeNet
        {
            Settings = new Dictionary<string, string> { ["Standalone__Seed"] = "true", ["Storage__DataDir"] = folder.DataDir },
        };
        await CheckRunningAsync(second, async () =>
        {
            var keysFile = Path.Combine(folder.DataDir, "demo-keys.json");
            Assert.True(File.Exists(keysFile), "no demo-keys.json after the second start");
            using var keys = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(keysFile));
            var seeded = keys.RootElement.GetProperty("towns").EnumerateArray()
                .Select(t => (Id: t.GetProperty("id").GetString()!, Key: t.GetProperty("apiKey").GetString()!)).ToList();
            Assert.Equal(5, seeded.Count);
            Assert.False(File.Exists(Path.Combine(folder.DataDir, "demo-seed.json")), "the seed's plan was left behind");

            // No town twice: the two the first start registered came back with their keys, the rest were added.
            using var ops = new TradeNetClient(second.Gateway, second.OperatorApiKey);
            var towns = (await ops.Get("/api/catalog/towns?limit=1000")).EnumerateArray().Select(t => t.GetProperty("id").GetString()!).Order().ToList();
            Assert.Equal(seeded.Select(t => t.Id).Order().ToList(), towns);
            var listings = (await ops.Get("/api/catalog/listings?limit=1000")).EnumerateArray().Count();
            Assert.Equal(10, listings);
            // Every key acts as its town: a town's route, refused (401) to an unknown key.
            foreach (var (_, key) in seeded)
            {
                using var town = new TradeNetClient(second.Gateway, key);
                await town.Get("/api/matching/trades");
            }
        });
    }

    [Fact]
    public async Task A_seed_cut_short_is_not_finished_once_the_catalogs_registration_keys_have_expired_so_no_town_is_registered_twice()
    {
        using var folder = new TestSettings();
        // A catalog that answers a registration's key again for 5 s only (a valid Catalog:RegistrationKeyLifetime): the seed
        // must go by it, not by a day's, or its replay registers the first start's towns a second time under new ids.
        var settings = new Dictionary<string, string>
        {
            ["Standalone__Seed"] = "true", ["Storage__DataDir"] = folder.DataDir, ["Catalog__RegistrationKeyLifetime"] = "00:00:05",
        };
        var first = new StandaloneTradeNet { Settings = new Dictionary<string, string>(settings) { ["Gateway__RateLimit__RegistrationsPerMinute"] = "2" } };
        try
        {
            await first.InitializeAsync();
            await WaitUntilRunningAsync(first);
        }
        catch (InvalidOperationException) { /* the seed's failure ended the host */ }
        finally
        {
            await first.DisposeAsync();
        }
        Assert.True(File.Exists(Path.Combine(folder.DataDir, "demo-seed.json")), "the first seed was not cut short:\n" + first.Logs());
        await Task.Delay(TimeSpan.FromSeconds(6)); // past the keys' lifetime

        var second = new StandaloneTradeNet { Settings = new Dictionary<string, string>(settings) };
        await CheckRunningAsync(second, async () =>
        {
            using var ops = new TradeNetClient(second.Gateway, second.OperatorApiKey);
            var towns = (await ops.Get("/api/catalog/towns?limit=1000")).EnumerateArray().Count();
            Assert.Equal(2, towns); // the first start's two, none again
            Assert.False(File.Exists(Path.Combine(folder.DataDir, "demo-keys.json")), "demo-keys.json was written");
            Assert.Contains("too long ago to finish", second.Logs(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_seed_plan_left_empty_by_a_power_cut_is_ignored_and_an_empty_network_is_seeded_rather_than_the_host_failing()
    {
        var tradeNet = new StandaloneTradeNet { Settings = new Dictionary<string, string> { ["Standalone__Seed"] = "true" } };
        // A rename not yet on disk when the power went: the file is there, with no content.
        Directory.CreateDirectory(tradeNet.DataDir);
        await File.WriteAllTextAsync(Path.Combine(tradeNet.DataDir, "demo-seed.json"), "");
        await CheckRunningAsync(tradeNet, async () =>
        {
            Assert.True(File.Exists(Path.Combine(tradeNet.DataDir, "demo-keys.json")), "no demo-keys.json");
            using var ops = new TradeNetClient(tradeNet.Gateway, tradeNet.OperatorApiKey);
            Assert.Equal(5, (await ops.Get("/api/catalog/towns?limit=1000")).EnumerateArray().Count());
            Assert.Contains("unreadable", tradeNet.Logs(), StringComparison.Ordinal);
        });
    }

    /// <summary>Starts the host, waits until it announces itself, runs <paramref name="check"/> (its logs shown on a
    /// failure) and stops it.</summary>
    private static async Task CheckRunningAsync(StandaloneTradeNet tradeNet, Func<Task> check)
    {
        try
        {
            await tradeNet.InitializeAsync();
            await tradeNet.ExplainFailureAsync(async () =>
            {
                await WaitUntilRunningAsync(tradeNet);
                await check();
            });
        }
        finally
        {
            await tradeNet.DisposeAsync();
        }
    }

    /// <summary>The host announces itself once the seed has run, decided not to, or was cut short.</summary>
    private static async Task WaitUntilRunningAsync(StandaloneTradeNet tradeNet)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (!tradeNet.Logs().Contains("TradeNet standalone is running", StringComparison.Ordinal) && DateTime.UtcNow < until)
            await Task.Delay(200);
        Assert.Contains("TradeNet standalone is running", tradeNet.Logs(), StringComparison.Ordinal);
    }

    /// <summary>Every town's id as the running network lists them to an operator.</summary>
    private static async Task<List<string>> TownIdsAsync(StandaloneTradeNet tradeNet, string operatorKey)
    {
        using var ops = new TradeNetClient(tradeNet.Gateway, operatorKey);
        return [.. (await ops.Get("/api/catalog/towns?limit=1000")).EnumerateArray()
            .Select(t => t.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];
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
