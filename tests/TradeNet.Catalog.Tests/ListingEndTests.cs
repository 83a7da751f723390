using System.Net.Http.Json;
using TradeNet.Catalog.Api;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A listing whose window has ended is shown as <c>ended</c>, not as an active offer a town could still trade on.</summary>
public sealed class ListingEndTests : IAsyncLifetime
{
    private readonly ShiftedClock _clock = new();
    private readonly CatalogFactory _factory;

    public ListingEndTests() => _factory = new() { Clock = _clock };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    [Fact]
    public async Task A_listing_past_its_window_reads_ended_leaves_the_active_list_and_is_active_again_once_its_end_moves_later()
    {
        var town = (await _factory.RegisterTownAsync()).Town.Id;
        var until = DateTimeOffset.UtcNow.AddDays(2);
        var ending = await _factory.PublishAsync(town, new { kind = "offer", category = "honey", quantity = 10, availableUntil = until });
        var lasting = await _factory.PublishAsync(town, new { kind = "offer", category = "honey", quantity = 10 });

        _clock.Shift = TimeSpan.FromDays(3);

        Assert.Equal("ended", (await _factory.ListingAsync(ending.Id)).Status);
        Assert.Equal([lasting.Id], await IdsAsync($"town={town}&status=active"));
        Assert.Equal([ending.Id], await IdsAsync($"town={town}&status=ENDED"));
        Assert.Equal(["ended", "active"], (await ListAsync($"town={town}")).Select(l => l.Status));

        var client = _factory.ClientAs(TestSettings.TownAuth(town));
        var reopened = await client.PutAsJsonAsync($"/api/catalog/listings/{ending.Id}", new { availableUntil = DateTimeOffset.UtcNow.AddDays(10) });
        Assert.Equal("active", (await reopened.Content.ReadFromJsonAsync<ListingView>())!.Status);
        Assert.Equal([ending.Id, lasting.Id], await IdsAsync($"town={town}&status=active"));
    }

    private async Task<ListingView[]> ListAsync(string query) =>
        (await _factory.CreateClient().GetFromJsonAsync<ListingView[]>($"/api/catalog/listings?{query}"))!;

    private async Task<string[]> IdsAsync(string query) => (await ListAsync(query)).Select(l => l.Id).ToArray();
}
