using System.Net;
using System.Net.Http.Json;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A suspended town's key passes a gateway that cached it for up to a revocation poll (~2 s) more: in that
/// window its own listings must not come back to the board through a change, as they cannot through a publish.</summary>
public sealed class SuspendedListingChangeTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    [Fact]
    public async Task A_suspended_town_cannot_reopen_its_ended_listing_by_changing_it()
    {
        var (town, published, stored) = await SuspendedWithAnEndedListingAsync();

        // As if the gateway still held the town's identity.
        var change = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id))
            .PutAsJsonAsync($"/api/catalog/listings/{published.Id}", new { availableUntil = DateTimeOffset.UtcNow.AddDays(7) });

        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        var after = (await factory.Store.GetListingAsync(published.Id))!;
        Assert.Equal((stored.Version + 1, true), (after.Version, after.AvailableUntil < DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task A_suspended_town_cannot_withdraw_a_listing_the_suspension_left_on_record()
    {
        var (town, published, _) = await SuspendedWithAnEndedListingAsync();
        var before = (await factory.Store.GetListingAsync(published.Id))!;

        // As if the gateway still held the town's identity.
        var withdrawal = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id)).DeleteAsync($"/api/catalog/listings/{published.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, withdrawal.StatusCode);
        Assert.Contains("suspended", (await withdrawal.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Detail);
        var after = (await factory.Store.GetListingAsync(published.Id))!;
        Assert.Equal((before.Version, before.Status), (after.Version, after.Status));
        Assert.NotEqual(ListingStatuses.Withdrawn, after.Status);
    }

    /// <summary>A town suspended after one of its listings' windows ended: the listing is not open, so the suspension
    /// leaves it on record as it is, for the operators to review. The listing as stored before the suspension.</summary>
    private async Task<(TownRegistration Town, ListingView Published, Listing Stored)> SuspendedWithAnEndedListingAsync()
    {
        var town = await factory.RegisterTownAsync();
        var published = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "cheese", quantity = 100 });
        var stored = (await factory.Store.GetListingAsync(published.Id))!;
        await using (var session = await factory.Store.BeginAsync())
        {
            await session.UpdateListingAsync(stored with { AvailableUntil = DateTimeOffset.UtcNow.AddDays(-1), Version = stored.Version + 1 },
                stored.Version);
            await session.CommitAsync();
        }
        var suspend = await factory.ClientAs(TestSettings.OperatorAuth())
            .PostAsJsonAsync($"/api/catalog/towns/{town.Town.Id}/suspension", new { reason = "fraudulent offers" });
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        return (town, published, stored);
    }
}
