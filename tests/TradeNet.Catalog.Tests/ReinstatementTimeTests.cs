using System.Net;
using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>Logistics keeps whichever of TownSuspended and TownReinstated is dated later: the reinstatement catalog
/// announces must be dated after the suspension it lifts, whatever the clock did in between.</summary>
public sealed class ReinstatementTimeTests
{
    [Fact]
    public async Task A_reinstatement_is_dated_after_the_suspension_it_lifts_even_when_the_clock_was_set_back_since()
    {
        // A host whose clock ran a day ahead when the town was suspended, then was stepped back (NTP) before the reinstatement.
        var clock = new ShiftedClock { Shift = TimeSpan.FromDays(1) };
        await using var host = new CatalogFactory { Clock = clock };
        var town = await host.RegisterTownAsync();
        var ops = host.ClientAs(TestSettings.OperatorAuth());
        var path = $"/api/catalog/towns/{town.Town.Id}/suspension";

        Assert.Equal(HttpStatusCode.OK, (await ops.PostAsJsonAsync(path, new { reason = "fraudulent offers" })).StatusCode);
        var suspended = await host.PublishedAsync<TownSuspended>(e => e.TownId == town.Town.Id, "TownSuspended");
        clock.Shift = TimeSpan.Zero;
        Assert.Equal(HttpStatusCode.OK, (await ops.DeleteAsync(path)).StatusCode);
        var reinstated = await host.PublishedAsync<TownReinstated>(e => e.TownId == town.Town.Id, "TownReinstated");

        Assert.True(reinstated.ReinstatedAt > suspended.SuspendedAt,
            $"reinstated at {reinstated.ReinstatedAt:O}, not after the suspension at {suspended.SuspendedAt:O}: logistics would keep the town suspended");
    }

    [Fact]
    public async Task A_reinstatement_on_a_clock_that_moved_on_is_dated_now()
    {
        var suspendedAt = DateTimeOffset.Parse("2026-12-06T10:00:00.1234567Z");
        var now = suspendedAt.AddHours(2);

        Assert.Equal(now, Application.TownSuspensions.ReinstatedAt(new Domain.TownSuspension("fraud", suspendedAt), now));
        // The suspension's time as MongoDB keeps it (whole milliseconds): still after the announced one.
        Assert.True(Application.TownSuspensions.ReinstatedAt(new Domain.TownSuspension("fraud", suspendedAt.AddTicks(-4567)), suspendedAt) > suspendedAt);
    }
}
