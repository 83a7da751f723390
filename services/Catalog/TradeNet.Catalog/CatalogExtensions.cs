using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MongoDB.Driver;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Application;
using TradeNet.Catalog.Grpc;
using TradeNet.Shared.Grpc;
using TradeNet.Catalog.Messaging;
using TradeNet.Catalog.Storage;
using TradeNet.Catalog.Storage.Mongo;
using TradeNet.Catalog.Storage.Sqlite;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Backups;

namespace TradeNet.Catalog;

/// <summary>The catalog's wiring, so its own Program.cs and the standalone host stay a few lines.</summary>
public static class CatalogExtensions
{
    public const string ServiceName = "catalog";

    /// <summary>Store (SQLite file {DataDir}/catalog.db, or MongoDB when Storage:Provider is mongo), outbox relay,
    /// seed categories and the catalog's application services. Expects AddServiceDefaults to have run.</summary>
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var services = builder.Services;
        services.AddServiceOpenApi("catalog");
        if (storage.UseMongo)
        {
            services.AddSingleton(_ => new MongoCatalogStore(new MongoClient(storage.MongoConnectionString)));
            services.AddSingleton<ICatalogStore>(sp => sp.GetRequiredService<MongoCatalogStore>());
            services.AddSingleton<CatalogMongoOutbox>();
            services.AddHostedService<CatalogSeeder>();
            services.AddOutboxRelay<CatalogMongoOutbox>();
            services.AddOutboxBacklogMetrics<CatalogMongoOutbox>("catalog");
        }
        else
        {
            services.AddSingleton(_ => new SqliteCatalogStore(storage.SqlitePath(ServiceName)));
            services.AddSingleton<ICatalogStore>(sp => sp.GetRequiredService<SqliteCatalogStore>());
            services.AddSingleton<CatalogSqliteOutbox>();
            services.AddHostedService<CatalogSeeder>();
            services.AddOutboxRelay<CatalogSqliteOutbox>();
            services.AddOutboxBacklogMetrics<CatalogSqliteOutbox>("catalog");
        }
        services.AddSqliteBackup(sp => sp.GetService<SqliteCatalogStore>()?.Database);
        services.AddOptions<CatalogOptions>()
            .Bind(builder.Configuration.GetSection(CatalogOptions.Section))
            .Validate(o => o.MaxOpenListingsPerTown >= 1, "Catalog:MaxOpenListingsPerTown must be at least 1.")
            .Validate(o => o.MaxTownMovesPerHour >= 1, "Catalog:MaxTownMovesPerHour must be at least 1.")
            .Validate(o => o.RegistrationKeyLifetime > TimeSpan.Zero && o.RegistrationKeyLifetime <= TimeSpan.FromDays(30),
                "Catalog:RegistrationKeyLifetime must be positive and at most 30 days.")
            .Validate(o => o.SuspensionContact is null || (o.SuspensionContact.Trim().Length is > 0 and <= 200
                && !TextRules.HasUnsafeCharacters(o.SuspensionContact) && TextRules.HasLetterOrDigit(o.SuspensionContact)),
                "Catalog:SuspensionContact must be 1 to 200 characters with a letter or digit and without control characters when set.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TownRegistry>();
        services.AddSingleton<TownChanges>();
        services.AddSingleton<TownSuspensions>();
        services.AddSingleton<ListingBoard>();
        services.AddSingleton<ListingReservations>();
        return builder;
    }

    /// <summary>The catalog's MassTransit consumers: trade cancellations release, completions fulfil.</summary>
    public static IBusRegistrationConfigurator AddCatalogConsumers(this IBusRegistrationConfigurator x)
    {
        // Named, not derived from the class names: messages wait in these queues across an upgrade, and a renamed
        // class would move its consumer to a new, empty queue (ConsumerQueueTests). The names the formatter gave since 27 Nov.
        x.AddConsumer<CatalogTradeCancelledConsumer>().Endpoint(e => e.Name = "catalog-trade-cancelled");
        x.AddConsumer<CatalogTradeCompletedConsumer>().Endpoint(e => e.Name = "catalog-trade-completed");
        return x;
    }

    /// <summary>REST under /api/catalog and the gRPC Catalog service (service callers only).</summary>
    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/catalog")
            .WithTags("catalog")
            .RefuseRepeatedQuery()
            .MapTowns()
            .MapCategories()
            .MapListings()
            .MapBackups();
        app.MapGrpcService<CatalogGrpcService>().RequireAuthorization(Policies.Service)
            .AcceptingMessagesUpTo(GrpcMessageLimits.DefaultMaxReceiveMessageBytes);
        app.MapServiceOpenApi("catalog");
        return app;
    }
}
