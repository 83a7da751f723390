using Microsoft.Extensions.Logging;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Shared.Storage;

namespace TradeNet.Catalog.Application;

/// <summary>
/// At start, settles the listings a release before 6 Dec 2026 left active although spent: less than their own min lot left
/// and nothing reserved (<see cref="Listing.IsSpent"/>). Such a listing can carry no leg, yet it held one of its town's open
/// places until the town changed it; settled, it is exhausted and announced, as a trade would leave it now. One read of
/// the active and ended listings per start (pages of <see cref="Page"/>), a write per listing to settle: none after the first start.
/// </summary>
internal static class SpentListings
{
    internal const int Page = 500;

    public static async Task<int> SettleAsync(ICatalogStore store, TimeProvider clock, ILogger logger, CancellationToken ct)
    {
        var spent = new List<string>();
        var now = clock.GetUtcNow();
        // Both are stored active; ended ones too, as a trade's release would settle them.
        foreach (var status in new[] { ListingStatuses.Active, ListingStatuses.Ended })
            for (ListingCursor? after = null; ;)
            {
                var page = await store.FindListingsAsync(new ListingQuery(Status: status, After: after, Limit: Page, At: now), ct);
                spent.AddRange(page.Where(l => l.SettledIfSpent() is not null).Select(l => l.Id));
                if (page.Count < Page) break;
                after = new ListingCursor(page[^1].CreatedAt, page[^1].Id);
            }
        var settled = 0;
        foreach (var id in spent)
        {
            // Read again in the write: a reservation or change since the scan decides, as in any other write.
            settled += await WriteRetry.OnConflictAsync(async () =>
            {
                await using var session = await store.BeginAsync(ct);
                if (await session.GetListingAsync(id, ct) is not { } listing || listing.SettledIfSpent() is not { } exhausted) return 0;
                await session.UpdateListingAsync(exhausted, listing.Version, ct);
                await ListingBoard.PublishChangedAsync(session, exhausted, ct);
                await session.CommitAsync(ct);
                return 1;
            });
        }
        if (settled > 0)
            logger.LogInformation("Settled {Count} listings an earlier release left active with less than their min lot and nothing reserved: exhausted and announced",
                settled);
        return settled;
    }
}
