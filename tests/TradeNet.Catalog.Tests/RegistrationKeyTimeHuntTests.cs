using System.Net;
using System.Net.Http.Json;
using TradeNet.Catalog.Api;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>
/// The registration-key time hunt: a town registers with an <c>Idempotency-Key</c> at the hunt's instants, sends the same
/// registration again a tick before, at and after the key's <c>expires_at</c>, then after the clock steps seconds back and
/// jumps days ahead. Checked (docs/catalog.md, <c>Catalog:RegistrationKeyLifetime</c>): the key is honoured (the same town,
/// marked Idempotent-Replayed) until its expiry and not from it (a second town), the one it then names is honoured in
/// turn, no answer a 5xx.
/// </summary>
public sealed class RegistrationKeyTimeHuntTests : IAsyncLifetime
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(25);
    private readonly PinnedClock _clock = new();
    private readonly CatalogFactory _factory;

    public RegistrationKeyTimeHuntTests() =>
        _factory = new() { Clock = _clock, ExtraSettings = { ["Catalog:RegistrationKeyLifetime"] = Lifetime.ToString() } };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    [Fact]
    public async Task A_registration_key_is_honoured_until_its_expiry_to_the_tick_and_not_from_it_at_the_hunts_instants()
    {
        var failures = new List<string>();
        foreach (var seed in TimeHuntInstants.Seeds("1-4"))
        {
            var hunt = new TimeHuntInstants(seed);
            var zone = TimeHuntInstants.Zone(TimeHuntInstants.Zones[hunt.Random.Next(TimeHuntInstants.Zones.Length)]);
            var at = hunt.Instant(zone) + TimeSpan.FromTicks(hunt.Random.Next(10_000));
            var key = $"register-{seed}-{Guid.NewGuid()}";
            var body = new { name = $"Town {Guid.NewGuid():N}", lat = 46.04 + seed / 1000.0, lon = 4.04, specialties = new[] { "wood" } };
            async Task<(string Id, bool Replayed)> RegisterAsync(DateTimeOffset now)
            {
                _clock.Pinned = now;
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/towns") { Content = JsonContent.Create(body) };
                request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
                var response = await _factory.CreateClient().SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    failures.Add($"seed {seed} {zone.Id}: a registration at {now:O} answered {(int)response.StatusCode}");
                    return ("", false);
                }
                return ((await response.Content.ReadFromJsonAsync<TownRegistration>())!.Town.Id, response.Headers.Contains("Idempotent-Replayed"));
            }
            void Expect(bool replayed, (string Id, bool Replayed) got, string town, string what)
            {
                if (got.Replayed != replayed || (got.Id == town) != replayed)
                    failures.Add($"seed {seed} {zone.Id} key of {at:O}: {what} got town {got.Id} (replayed {got.Replayed}), " +
                        $"expected {(replayed ? $"town {town} again" : "a new town")}");
            }

            var first = (await RegisterAsync(at)).Id;
            Expect(true, await RegisterAsync(at + Lifetime - TimeSpan.FromTicks(1)), first, "a tick before expiry");
            Expect(true, await RegisterAsync(at + Lifetime - TimeSpan.FromSeconds(hunt.Random.Next(1, 60))), first, "after a step back");
            var second = await RegisterAsync(at + Lifetime);
            Expect(false, second, first, "at expiry");
            // The key now names the second town, registered at the first's expiry, for a lifetime from then.
            Expect(true, await RegisterAsync(at + Lifetime - TimeSpan.FromSeconds(hunt.Random.Next(1, 60))), second.Id, "the new key after a step back");
            Expect(true, await RegisterAsync(at + 2 * Lifetime - TimeSpan.FromTicks(1)), second.Id, "the new key a tick before its expiry");
            Expect(false, await RegisterAsync(at + 2 * Lifetime + TimeSpan.FromDays(hunt.Random.Next(1, 10))), second.Id, "days later");
        }
        _clock.Pinned = null;
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }
}
