using System.Net;
using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>Logistics keeps whichever of TownSuspended and TownReinstated is dated later: a suspension catalog announces
/// must be dated after the reinstatement it follows, whatever the clock did in between, or logistics would ignore it.</summary>
public sealed class SuspensionTimeTests
{
    [Fact]
    public async Task A_suspension_is_dated_after_the_reinstatement_it_follows_even_when_the_clock_was_set_back_since()
    {
        var clock = new ShiftedClock();
        await using var host = new CatalogFactory { Clock = clock };
        var town = await host.RegisterTownAsync();
        var ops = host.ClientAs(TestSettings.OperatorAuth());
        var path = $"/api/catalog/towns/{town.Town.Id}/suspension";
        Assert.Equal(HttpStatusCode.OK, (await ops.PostAsJsonAsync(path, new { reason = "fraudulent offers" })).StatusCode);

        // Reinstated on a clock running a day ahead, which is then stepped back (NTP) before the town is suspended again.
        clock.Shift = TimeSpan.FromDays(1);
        Assert.Equal(HttpStatusCode.OK, (await ops.DeleteAsync(path)).StatusCode);
        var reinstated = await host.PublishedAsync<TownReinstated>(e => e.TownId == town.Town.Id, "TownReinstated");
        clock.Shift = TimeSpan.Zero;
        Assert.Equal(HttpStatusCode.OK, (await ops.PostAsJsonAsync(path, new { reason = "fraudulent offers again" })).StatusCode);
        var suspended = await host.PublishedAsync<TownSuspended>(
            e => e.TownId == town.Town.Id && e.Reason == "fraudulent offers again", "the second TownSuspended");

        Assert.True(suspended.SuspendedAt > reinstated.ReinstatedAt,
            $"suspended at {suspended.SuspendedAt:O}, not after the reinstatement at {reinstated.ReinstatedAt:O}: logistics would keep the town active");
    }

    [Fact]
    public void A_suspension_on_a_clock_that_moved_on_or_of_a_town_never_reinstated_is_dated_now()
    {
        var reinstatedAt = DateTimeOffset.Parse("2026-12-06T10:00:00.1234567Z");
        var now = reinstatedAt.AddHours(2);

        Assert.Equal(now, Application.TownSuspensions.SuspendedAt(reinstatedAt, now));
        Assert.Equal(now, Application.TownSuspensions.SuspendedAt(null, now));
        // The reinstatement's time as MongoDB keeps it (whole milliseconds): still after the announced one.
        Assert.True(Application.TownSuspensions.SuspendedAt(reinstatedAt.AddTicks(-4567), reinstatedAt) > reinstatedAt);
    }
}
