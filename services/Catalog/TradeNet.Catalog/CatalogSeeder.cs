using TradeNet.Catalog.Application;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;

namespace TradeNet.Catalog;

/// <summary>Prepares the store, upserts the seed categories and settles what an earlier release left unsettled
/// (<see cref="SpentListings"/>) before the service takes requests.</summary>
internal sealed class CatalogSeeder(ICatalogStore store, TimeProvider clock, ILogger<CatalogSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await store.InitializeAsync(CategorySeed.All, ct);
        await SpentListings.SettleAsync(store, clock, logger, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
