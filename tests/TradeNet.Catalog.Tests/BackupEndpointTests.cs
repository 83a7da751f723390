using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Catalog.Storage.Sqlite;
using TradeNet.Shared.Storage.Backups;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>The backup routes' answers when a backup cannot be taken now (docs/operations.md, "Backups and restore").</summary>
public sealed class BackupEndpointTests
{
    [Fact]
    public async Task A_backup_asked_for_while_one_waits_for_the_writers_is_a_409_and_the_first_still_completes()
    {
        await using var factory = new CatalogFactory();
        var ops = factory.ClientAs(TestSettings.OperatorAuth());
        var backups = factory.Services.GetRequiredService<SqliteBackups>();
        Task<HttpResponseMessage> first;
        await using (var write = await ((SqliteCatalogStore)factory.Store).Database.BeginWriteAsync())
        {
            first = ops.PostAsync("/api/catalog/backups", null);
            // The first is in once its partial folder is there; it then waits for this write.
            await Eventually.Until(() => Task.FromResult(Directory.Exists(backups.Folder) && Directory.GetDirectories(backups.Folder).Length == 1),
                started => started, TimeSpan.FromSeconds(10), "the first backup starts");

            using var second = await ops.PostAsync("/api/catalog/backups", null);

            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.Contains("being taken", await second.Content.ReadAsStringAsync());
            Assert.Single(Directory.GetDirectories(backups.Folder));
        }
        using var done = await first;
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        using var list = await ops.GetAsync("/api/catalog/backups");
        Assert.Equal(1, JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task A_backup_that_cannot_be_written_is_a_503_with_retry_after_naming_no_server_path()
    {
        await using var factory = new CatalogFactory();
        var ops = factory.ClientAs(TestSettings.OperatorAuth());
        await File.WriteAllTextAsync(factory.Services.GetRequiredService<SqliteBackups>().Folder, "not a folder");

        using var response = await ops.PostAsync("/api/catalog/backups", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("cannot be written", body);
        Assert.DoesNotContain(factory.Settings.DataDir, body);
    }
}
