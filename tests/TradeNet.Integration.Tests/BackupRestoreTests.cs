using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>An operator backs the standalone host up while trades are in flight, changes more, stops it and starts a new
/// host on the backup folder (docs/operations.md, "Backups and restore").</summary>
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_host_started_on_a_backup_reads_as_at_the_backup_and_finishes_the_trades_that_were_in_flight()
    {
        var restoreFrom = Path.Combine(Path.GetTempPath(), "tradenet-tests", "restore-" + Guid.NewGuid().ToString("N"));
        var first = new StandaloneTradeNet();
        await first.InitializeAsync();
        Dictionary<string, string> atBackup = [];
        List<TradeFlow.Town> towns = [];
        string proposed = "", agreed = "", onTheRoad = "", ghost = "";
        try
        {
            await first.ExplainFailureAsync(async () =>
            {
                var flow = new TradeFlow(first.Gateway, first.OperatorApiKey);
                using var ops = flow.Operator();
                towns =
                [
                    await flow.RegisterTown("Roanne", "42187", 46.0443, 4.07974, "cheese"),
                    await flow.RegisterTown("Riorges", "42184", 46.0431, 4.0413, "vegetables"),
                    await flow.RegisterTown("Mably", "42127", 46.0847, 4.0608, "wood"),
                    await flow.RegisterTown("Le Coteau", "42071", 46.0197, 4.0917, "wine"),
                    await flow.RegisterTown("Villerest", "42332", 46.0189, 4.0381, "fruit"),
                    await flow.RegisterTown("Perreux", "42170", 46.0386, 4.1236, "honey"),
                ];
                agreed = await flow.AgreeSwap(towns[0], towns[1], scenario: 2);
                onTheRoad = await flow.AgreeSwap(towns[2], towns[3], scenario: 3);
                var rolling = (await TradeFlow.Shipments(towns[2], onTheRoad, 2)).First();
                var carrier = towns.Single(t => t.Id == rolling.GetProperty("carrierTown").GetString());
                await carrier.Client.Post($"/api/logistics/shipments/{rolling.GetProperty("id").GetString()}/pickup", null, HttpStatusCode.OK);
                var (offered, wanted) = await flow.Categories(1);
                await TradeFlow.Publish(towns[4], "offer", offered, 100, 10);
                await TradeFlow.Publish(towns[5], "need", offered, 100, 10);
                await TradeFlow.Publish(towns[5], "offer", wanted, 300, 10);
                await TradeFlow.Publish(towns[4], "need", wanted, 300, 10);
                proposed = (await flow.RunRoundUntilTrade(towns[4], towns[5].Id)).GetProperty("id").GetString()!;
                await ShipmentsAsync(ops, agreed);
                await ShipmentsAsync(ops, onTheRoad);

                using var taken = await ops.Send(HttpMethod.Post, "/api/matching/backups");
                var body = await taken.Content.ReadAsStringAsync();
                Assert.True(taken.StatusCode == HttpStatusCode.Created, $"{(int)taken.StatusCode} {body}");
                atBackup = await ReadEverythingAsync(ops, towns, [proposed, agreed, onTheRoad]);
                var manifest = JsonDocument.Parse(body).RootElement;
                var folder = Path.Combine(first.DataDir, "backups", manifest.GetProperty("id").GetString()!);
                Assert.Equal(["catalog.db", "logistics.db", "matching.db"],
                    manifest.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
                Assert.Contains(manifest.GetProperty("id").GetString(),
                    (await ops.Get("/api/logistics/backups")).EnumerateArray().Select(m => m.GetProperty("id").GetString()));
                Assert.Empty(CutProblems(folder));
                output.WriteLine($"writers held back {manifest.GetProperty("writersHeldMs").GetDouble()} ms");

                // Everything after the backup is lost by the restore.
                await towns[4].Client.Post($"/api/matching/trades/{proposed}/accept", null, HttpStatusCode.OK);
                var planned = (await ShipmentsAsync(ops, agreed)).First();
                await towns.Single(t => t.Id == planned.GetProperty("carrierTown").GetString()).Client
                    .Post($"/api/logistics/shipments/{planned.GetProperty("id").GetString()}/pickup", null, HttpStatusCode.OK);
                await FinishShipmentsAsync(await ShipmentsAsync(ops, onTheRoad), towns);
                await TradeFlow.TradeStatus(towns[2], onTheRoad, "completed");
                ghost = (await flow.RegisterTown("Commelle-Vernay", "42068", 45.9986, 4.0628, "ghosts")).Id;

                // The operator keeps the backup away from the data folder, then stops the host.
                CopyFolder(folder, restoreFrom);
            });
        }
        finally
        {
            await first.DisposeAsync();
        }

        var restored = new StandaloneTradeNet { Settings = new Dictionary<string, string> { ["Storage__DataDir"] = restoreFrom } };
        await restored.InitializeAsync();
        try
        {
            await restored.ExplainFailureAsync(async () =>
            {
                var flow = new TradeFlow(restored.Gateway, restored.OperatorApiKey);
                using var ops = flow.Operator();
                var again = towns.Select(t => t with { Client = flow.Client(t.ApiKey) }).ToList();

                var now = await ReadEverythingAsync(ops, again, [proposed, agreed, onTheRoad]);
                var differences = atBackup.Where(r => now[r.Key] != r.Value).Select(r => $"{r.Key}\n  at backup: {r.Value}\n  restored:  {now[r.Key]}").ToList();
                Assert.True(differences.Count == 0, string.Join("\n", differences));
                using (var gone = await ops.Send(HttpMethod.Get, $"/api/catalog/towns/{ghost}"))
                    Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

                // The trades in flight at the backup finish, with the handover codes read then.
                await again[4].Client.Post($"/api/matching/trades/{proposed}/accept", null, HttpStatusCode.OK);
                await again[5].Client.Post($"/api/matching/trades/{proposed}/accept", null, HttpStatusCode.OK);
                await TradeFlow.TradeStatus(again[4], proposed, "agreed");
                foreach (var trade in new[] { proposed, agreed, onTheRoad })
                {
                    var shipments = await ShipmentsAsync(ops, trade);
                    foreach (var shipment in shipments.Where(s => atBackup.ContainsKey($"code {s.GetProperty("id").GetString()}")))
                        Assert.Equal(atBackup[$"code {shipment.GetProperty("id").GetString()}"], shipment.GetProperty("handoverCode").GetString());
                    await FinishShipmentsAsync(shipments, again);
                    await Eventually.Until(() => ops.Get($"/api/matching/trades/{trade}"), t => t.GetProperty("status").GetString() == "completed",
                        TimeSpan.FromSeconds(30), $"trade {trade} completed");
                }

                var problems = await ConsistencyAudit.CheckAsync(ops, again.Select(t => t.Id).ToList());
                Assert.True(problems.Count == 0, string.Join("\n", problems));

                // The restored network trades on.
                var roanne = await flow.RegisterTown("Saint-Léger-sur-Roanne", "42253", 46.0414, 3.9958, "bread");
                var fresh = await flow.AgreeSwap(roanne, again[1], scenario: 4);
                await TradeFlow.PickUpAndDeliver(await TradeFlow.Shipments(roanne, fresh, 2), roanne, again[1]);
                await TradeFlow.TradeStatus(roanne, fresh, "completed");
            });
        }
        finally
        {
            await restored.DisposeAsync();
            Directory.Delete(restoreFrom, recursive: true);
        }
    }

    [Fact]
    public async Task Backups_taken_while_towns_publish_rounds_run_and_vehicles_register_are_whole_files_and_one_cut()
    {
        var tradeNet = new StandaloneTradeNet();
        await tradeNet.InitializeAsync();
        try
        {
            await tradeNet.ExplainFailureAsync(async () =>
            {
                var flow = new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey);
                using var ops = flow.Operator();
                var a = await flow.RegisterTown("Roanne", "42187", 46.0443, 4.07974, "cheese");
                var b = await flow.RegisterTown("Riorges", "42184", 46.0431, 4.0413, "vegetables");
                var (first, second) = await flow.Categories(5);
                using var stop = new CancellationTokenSource();
                var writers = new[]
                {
                    KeepAsync(stop.Token, async n =>
                    {
                        var offer = await TradeFlow.Publish(a, "offer", first, 50 + n, 5);
                        await a.Client.Send(HttpMethod.Put, $"/api/catalog/listings/{offer.GetProperty("id").GetString()}", new { quantity = 60 + n });
                        await TradeFlow.Publish(b, "need", first, 20, 5);
                    }),
                    KeepAsync(stop.Token, async n =>
                    {
                        await TradeFlow.Publish(b, "offer", second, 100 + n, 10);
                        await TradeFlow.Publish(a, "need", second, 50, 10);
                        await ops.Send(HttpMethod.Post, "/api/matching/rounds");
                    }),
                    KeepAsync(stop.Token, n => (n % 2 == 0 ? a : b).Client.Send(HttpMethod.Post, "/api/logistics/vehicles", new
                    {
                        homeTown = (string?)null, homeLat = 46.0443, homeLon = 4.07974, capacityKg = 500 + n, costPerKm = 0.5, fixedCost = 10,
                        availableFrom = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddYears(5),
                    })),
                };
                var folders = new List<string>();
                foreach (var service in new[] { "catalog", "matching", "logistics", "catalog", "matching", "logistics" })
                {
                    await Task.Delay(300);
                    using var taken = await ops.Send(HttpMethod.Post, $"/api/{service}/backups");
                    var body = await taken.Content.ReadAsStringAsync();
                    Assert.True(taken.StatusCode == HttpStatusCode.Created, $"{service}: {(int)taken.StatusCode} {body}");
                    folders.Add(Path.Combine(tradeNet.DataDir, "backups", JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!));
                }
                await stop.CancelAsync();
                await Task.WhenAll(writers);

                foreach (var folder in folders)
                {
                    foreach (var file in new[] { "catalog.db", "matching.db", "logistics.db" })
                        Assert.Equal("ok", Scalar(Path.Combine(folder, file), "PRAGMA integrity_check"));
                    var problems = CutProblems(folder);
                    Assert.True(problems.Count == 0, $"{Path.GetFileName(folder)}:\n{string.Join("\n", problems)}");
                }
                var last = folders[^1];
                Assert.True(long.Parse(Scalar(Path.Combine(last, "matching.db"), "SELECT COUNT(*) FROM book"), CultureInfo.InvariantCulture) > 6,
                    "matching's book barely grew: the backups were not taken under load");
                Assert.True(long.Parse(Scalar(Path.Combine(last, "logistics.db"), "SELECT COUNT(*) FROM vehicles"), CultureInfo.InvariantCulture) > 2,
                    "hardly any vehicle registered: the backups were not taken under load");
                // Each copy has its service's schema, table by table and index by index, as the live file does.
                foreach (var folder in folders)
                    foreach (var file in new[] { "catalog.db", "matching.db", "logistics.db" })
                        Assert.Equal(Schema(Path.Combine(tradeNet.DataDir, file)), Schema(Path.Combine(folder, file)));
            });
        }
        finally
        {
            await tradeNet.DisposeAsync();
        }
    }

    /// <summary>Runs <paramref name="step"/> again and again until stopped; answers that refuse (a listing taken by a
    /// round, a limit reached) are part of the load, a failure to reach the host is not.</summary>
    private static async Task KeepAsync(CancellationToken stop, Func<int, Task> step)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            try
            {
                await step(n);
            }
            catch (Xunit.Sdk.XunitException)
            {
                // TradeNetClient's "expected 201, got 409": the load goes on.
            }
        }
    }

    private static string Schema(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master ORDER BY type, name";
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read()) lines.Add(reader.GetString(0));
        return string.Join("\n", lines);
    }

    private static string Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture)!;
    }

    /// <summary>What an operator reads of these towns and trades, answer by answer; the handover codes also one by one.</summary>
    private static async Task<Dictionary<string, string>> ReadEverythingAsync(TradeNetClient ops, IReadOnlyList<TradeFlow.Town> towns, string[] trades)
    {
        var reads = new Dictionary<string, string>(StringComparer.Ordinal);
        var paths = towns.SelectMany(t => new[] { $"/api/catalog/towns/{t.Id}", $"/api/catalog/listings?town={t.Id}&limit=100" })
            .Concat(trades.SelectMany(id => new[] { $"/api/matching/trades/{id}", $"/api/logistics/shipments?trade={id}", $"/api/logistics/trades/{id}/transfers" }));
        foreach (var path in paths)
        {
            // A proposal has no transfers yet (404): that too must read the same.
            using var response = await ops.Send(HttpMethod.Get, path);
            var body = await response.Content.ReadAsStringAsync();
            reads[path] = $"{(int)response.StatusCode} {(response.IsSuccessStatusCode ? body : JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString())}";
            if (path.StartsWith("/api/logistics/shipments", StringComparison.Ordinal))
                foreach (var shipment in JsonDocument.Parse(body).RootElement.EnumerateArray())
                    reads[$"code {shipment.GetProperty("id").GetString()}"] = shipment.GetProperty("handoverCode").GetString() ?? "";
        }
        return reads;
    }

    /// <summary>Where a copy taken one file at a time would show a service ahead of another: matching's book and trades
    /// hold nothing catalog's copy lacks, logistics ships only trades matching's copy has agreed.</summary>
    private static List<string> CutProblems(string folder)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, "matching.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        connection.Open();
        using var attach = connection.CreateCommand();
        attach.CommandText = $"ATTACH '{Path.Combine(folder, "catalog.db")}' AS catalog; ATTACH '{Path.Combine(folder, "logistics.db")}' AS logistics;";
        attach.ExecuteNonQuery();
        var problems = new List<string>();
        foreach (var (sql, what) in new[]
        {
            ("SELECT id FROM main.book WHERE id NOT IN (SELECT id FROM catalog.listings)", "in matching's book, not in catalog's listings"),
            ("SELECT trade_id FROM catalog.reservations WHERE trade_id NOT IN (SELECT id FROM main.trades)", "reserved by catalog for a trade matching lacks"),
            ("SELECT DISTINCT trade_id FROM logistics.shipments WHERE trade_id NOT IN (SELECT id FROM main.trades WHERE agreed_at IS NOT NULL)",
                "shipped by logistics for a trade matching has not agreed"),
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read()) problems.Add($"{reader.GetString(0)}: {what}");
        }
        return problems;
    }

    /// <summary>A trade's two shipments as the operator reads them, once logistics has planned them.</summary>
    private static async Task<List<JsonElement>> ShipmentsAsync(TradeNetClient ops, string trade) =>
        (await Eventually.Until(async () => (await ops.Get($"/api/logistics/shipments?trade={trade}")).EnumerateArray().ToList(),
            s => s.Count == 2, TimeSpan.FromSeconds(30), $"2 shipments for {trade}")).ToList();

    /// <summary>Each shipment not yet delivered: picked up by its carrier if it is not yet, then delivered with the code
    /// the receiving town reads.</summary>
    private static async Task FinishShipmentsAsync(IEnumerable<JsonElement> shipments, IReadOnlyList<TradeFlow.Town> towns)
    {
        foreach (var shipment in shipments)
        {
            var id = shipment.GetProperty("id").GetString();
            var carrier = towns.Single(t => t.Id == shipment.GetProperty("carrierTown").GetString());
            var receiver = towns.Single(t => t.Id == shipment.GetProperty("toTown").GetString());
            var status = shipment.GetProperty("status").GetString();
            if (status == "planned") await carrier.Client.Post($"/api/logistics/shipments/{id}/pickup", null, HttpStatusCode.OK);
            if (status is not ("planned" or "pickedUp")) continue;
            var code = (await receiver.Client.Get($"/api/logistics/shipments/{id}")).GetProperty("handoverCode").GetString();
            await carrier.Client.Post($"/api/logistics/shipments/{id}/delivery", new { handoverCode = code }, HttpStatusCode.OK);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
