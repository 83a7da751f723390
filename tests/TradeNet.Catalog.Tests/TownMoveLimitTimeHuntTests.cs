using System.Net;
using System.Net.Http.Json;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>
/// The move-limit time hunt: a town moves itself up to <c>Catalog:MaxTownMovesPerHour</c> times around a clock change (the
/// hour the clock skips or repeats, in each hunt zone), then tries again a tick before and at the moment its oldest move
/// leaves the hour, and once more after the clock steps seconds back. Checked (docs/catalog.md, TownMoves): the hour is a
/// real one (60 minutes of UTC, whatever the wall clock shows), a move is refused (429, Retry-After) until then and
/// allowed from then, a clock stepped back never frees a move, no answer a 5xx.
/// </summary>
public sealed class TownMoveLimitTimeHuntTests : IAsyncLifetime
{
    private const int Limit = 2;

    private readonly PinnedClock _clock = new();
    private readonly CatalogFactory _factory;

    public TownMoveLimitTimeHuntTests() =>
        _factory = new() { Clock = _clock, ExtraSettings = { ["Catalog:MaxTownMovesPerHour"] = $"{Limit}" } };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    [Fact]
    public async Task A_towns_moves_are_counted_over_a_real_hour_across_the_hunts_clock_changes()
    {
        var failures = new List<string>();
        foreach (var seed in TimeHuntInstants.Seeds("1-4"))
        {
            _clock.Pinned = null;
            var hunt = new TimeHuntInstants(seed);
            var zone = TimeHuntInstants.Zone(TimeHuntInstants.Zones[hunt.Random.Next(TimeHuntInstants.Zones.Length)]);
            var changes = TimeHuntInstants.Changes(zone, 2027, 2029);
            var change = changes.Count > 0
                ? changes[hunt.Random.Next(changes.Count)] + TimeSpan.FromMinutes(hunt.Random.Next(-60, 61)) + TimeSpan.FromTicks(hunt.Random.Next(10_000))
                : hunt.Instant(zone);
            var town = (await _factory.RegisterTownAsync(lat: 45.0, lon: 4.0)).Town.Id;
            // Tokens are checked against the system clock (the JWT handler's), not the service's pinned one.
            var client = _factory.ClientAs(TestSettings.TownAuth(town));
            var lat = 45.0;
            async Task<HttpStatusCode> MoveAsync(DateTimeOffset at)
            {
                _clock.Pinned = at;
                lat += 0.01;
                var response = await client.PutAsJsonAsync($"/api/catalog/towns/{town}",
                    new { name = "Riorges", lat, lon = 4.0, specialties = new[] { "wood" } });
                if ((int)response.StatusCode >= 500) failures.Add($"seed {seed} {zone.Id}: a move at {at:O} answered {(int)response.StatusCode}");
                if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter?.Delta is not { } retry)
                    failures.Add($"seed {seed} {zone.Id}: a 429 at {at:O} without Retry-After");
                return response.StatusCode;
            }
            void Expect(HttpStatusCode expected, HttpStatusCode got, string what)
            {
                if (got != expected) failures.Add($"seed {seed} {zone.Id} around {change:O}: {what} answered {(int)got}, not {(int)expected}");
            }

            // The first move before the change, the others straddling it: an hour of the wall clock is not an hour here.
            var first = change - TimeSpan.FromMinutes(hunt.Random.Next(10, 55));
            Expect(HttpStatusCode.OK, await MoveAsync(first), "the first move");
            Expect(HttpStatusCode.OK, await MoveAsync(change + TimeSpan.FromMinutes(hunt.Random.Next(0, 5))), "the second move");
            Expect(HttpStatusCode.TooManyRequests, await MoveAsync(first + TownMovesHour - TimeSpan.FromTicks(1)), "a move a tick before the first left the hour");
            Expect(HttpStatusCode.OK, await MoveAsync(first + TownMovesHour), "a move as the first left the hour");
            Expect(HttpStatusCode.TooManyRequests, await MoveAsync(first + TownMovesHour - TimeSpan.FromSeconds(hunt.Random.Next(1, 60))),
                "a move after the clock stepped back");
            Expect(HttpStatusCode.OK, await MoveAsync(first + TownMovesHour + TimeSpan.FromDays(hunt.Random.Next(1, 10))), "a move days later");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    private static readonly TimeSpan TownMovesHour = TimeSpan.FromHours(1);
}
