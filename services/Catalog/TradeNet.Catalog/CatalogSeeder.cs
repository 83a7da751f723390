using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;

namespace TradeNet.Catalog;

/// <summary>Prepares the store and upserts the seed categories before the service takes requests.</summary>
internal sealed class CatalogSeeder(ICatalogStore store) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => store.InitializeAsync(CategorySeed.All, ct);

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
