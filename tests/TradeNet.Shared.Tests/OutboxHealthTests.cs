using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TradeNet.Contracts;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

public sealed class OutboxHealthTests : IDisposable
{
    private readonly TestSettings _settings = new();

    private sealed class TestOutbox(SqliteDatabase db) : SqliteOutboxStore(db);

    [Fact]
    public async Task A_service_whose_outbox_has_held_an_event_for_over_a_minute_reports_degraded_naming_the_outbox()
    {
        // Measured with the broker's VM paused: connections stay open, so MassTransit's check said Healthy for 3 minutes
        // while no event left; only the outbox showed it.
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "health.db"), "");
        await WriteEventAsync(db, DateTimeOffset.UtcNow - TimeSpan.FromSeconds(90));
        await using var services = Services(db);

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Degraded, report.Status);
        var entry = Assert.Single(report.Entries, e => e.Key == "outbox-test").Value;
        Assert.Contains("test outbox holds 1 event", entry.Description);
    }

    [Fact]
    public async Task Events_just_written_or_an_empty_outbox_leave_the_service_healthy()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "health.db"), "");
        await using var services = Services(db);
        var health = services.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
        await WriteEventAsync(db, DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
    }

    private static ServiceProvider Services(SqliteDatabase db)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(new TestOutbox(db));
        services.AddHealthChecks();
        services.AddOutboxBacklogMetrics<TestOutbox>("test");
        return services.BuildServiceProvider();
    }

    private static async Task WriteEventAsync(SqliteDatabase db, DateTimeOffset createdAt)
    {
        await using (var scope = await db.BeginWriteAsync())
        {
            scope.Publish(new TradeCancelled(Guid.NewGuid(), "expired", false, []));
            await scope.CommitAsync();
        }
        using var connection = db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox SET created_at = $at";
        command.Parameters.AddWithValue("$at", createdAt.ToString("O"));
        command.ExecuteNonQuery();
    }

    public void Dispose() => _settings.Dispose();
}
