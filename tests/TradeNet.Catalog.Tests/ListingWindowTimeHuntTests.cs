using System.Net.Http.Json;
using TradeNet.Catalog.Api;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>
/// The listing-window time hunt: listings whose window ends at the hunt's instants (a clock change, a local midnight, a
/// month end, 29 February, in each hunt zone, to the tick), read a tick before, at and a tick after the end, then after
/// the clock jumps days ahead and steps seconds back. Checked (docs/catalog.md): a listing is active through its
/// <c>availableUntil</c> inclusive and ended after it, the same in its own view, the active list and the ended list (the
/// one the C# decides, the others the store's query), and no read is a 5xx.
/// </summary>
public sealed class ListingWindowTimeHuntTests : IAsyncLifetime
{
    private readonly PinnedClock _clock = new();
    private readonly CatalogFactory _factory;

    public ListingWindowTimeHuntTests() => _factory = new() { Clock = _clock };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    [Fact]
    public async Task A_listing_is_active_through_its_window_end_to_the_tick_and_ended_after_it_at_the_hunts_instants()
    {
        var failures = new List<string>();
        foreach (var seed in TimeHuntInstants.Seeds("1-3"))
        {
            _clock.Pinned = null;
            var hunt = new TimeHuntInstants(seed);
            var zone = TimeHuntInstants.Zone(TimeHuntInstants.Zones[hunt.Random.Next(TimeHuntInstants.Zones.Length)]);
            var town = (await _factory.RegisterTownAsync()).Town.Id;
            // The hunt's instants are 2027–2029: in the future now, so the catalog takes them as window ends. Sent in the
            // zone's own offset, as a town there would.
            var ends = Enumerable.Range(0, 4).Select(_ => hunt.Instant(zone) + TimeSpan.FromTicks(hunt.Random.Next(0, 20_000))).ToList();
            var listings = new List<(string Id, DateTimeOffset Until)>();
            foreach (var until in ends)
            {
                var local = TimeZoneInfo.ConvertTime(until, zone);
                var view = await _factory.PublishAsync(town, new { kind = "offer", category = "honey", quantity = 10, availableUntil = local });
                if (view.AvailableUntil != until) failures.Add($"seed {seed} {zone.Id}: sent {local:O}, stored {view.AvailableUntil:O}");
                listings.Add((view.Id, until));
            }
            foreach (var (_, until) in listings)
            {
                DateTimeOffset[] nows = [until - TimeSpan.FromTicks(1), until, until + TimeSpan.FromTicks(1),
                    until + TimeSpan.FromDays(hunt.Random.Next(1, 10)), until - TimeSpan.FromSeconds(hunt.Random.Next(1, 60))];
                foreach (var now in nows)
                {
                    _clock.Pinned = now;
                    var active = await IdsAsync($"town={town}&status=active&limit=100");
                    var ended = await IdsAsync($"town={town}&status=ended&limit=100");
                    foreach (var (id, end) in listings)
                    {
                        var open = now <= end;
                        var status = (await _factory.CreateClient().GetFromJsonAsync<ListingView>($"/api/catalog/listings/{id}"))!.Status;
                        if (status != (open ? "active" : "ended") || active.Contains(id) != open || ended.Contains(id) == open)
                            failures.Add($"seed {seed} {zone.Id}: listing ending {end:O} at {now:O} reads {status}, " +
                                $"in active list {active.Contains(id)}, in ended list {ended.Contains(id)}");
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    private async Task<HashSet<string>> IdsAsync(string query)
    {
        var response = await _factory.CreateClient().GetAsync($"/api/catalog/listings?{query}");
        Assert.True((int)response.StatusCode < 500, $"{query}: {(int)response.StatusCode}");
        return (await response.Content.ReadFromJsonAsync<ListingView[]>())!.Select(l => l.Id).ToHashSet();
    }
}
