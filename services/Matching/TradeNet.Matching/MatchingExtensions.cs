using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TradeNet.Contracts.Grpc;
using TradeNet.Matching.Api;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Consumers;
using TradeNet.Matching.Engine;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Matching.Trades;
using TradeNet.Shared.Grpc;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Backups;

namespace TradeNet.Matching;

public static class MatchingExtensions
{
    /// <summary>Matching's store, outbox relay, catalog client, clearing strategy and background work.
    /// Expects AddServiceDefaults to have run (options, auth, telemetry); registers only matching's own types.</summary>
    public static IHostApplicationBuilder AddMatching(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddServiceOpenApi("matching");
        services.AddOptions<MatchingOptions>().Bind(builder.Configuration.GetSection(MatchingOptions.Section))
            .Validate(o => o.RoundRetention is not { } keep || keep <= TimeSpan.Zero || keep >= MatchingOptions.MinRoundRetention,
                $"Matching:RoundRetention must be at least {MatchingOptions.MinRoundRetention.TotalHours} hours, or 0 (unset) to keep every round.")
            .Validate(o => o.UnagreedTradeRetention is not { } keep || keep <= TimeSpan.Zero || keep >= MatchingOptions.MinUnagreedTradeRetention,
                $"Matching:UnagreedTradeRetention must be at least {MatchingOptions.MinUnagreedTradeRetention.TotalHours} hours, or 0 (unset) " +
                "to keep every trade.")
            .Validate(o => o.MaxLegsPerTownPair >= 1, "Matching:MaxLegsPerTownPair must be at least 1.")
            // The engine refuses to solve outside these (BookValidator): taken at start, every round would fail (500).
            .Validate(o => o.MaxCycleLength is >= BookValidator.MinCycleLength and <= BookValidator.MaxSupportedCycleLength,
                $"Matching:MaxCycleLength must be {BookValidator.MinCycleLength} to {BookValidator.MaxSupportedCycleLength} (towns in one trade).")
            .Validate(o => o.DetourFactor >= 1 && double.IsFinite(o.DetourFactor),
                "Matching:DetourFactor must be at least 1 (a road is never shorter than the straight line).")
            .Validate(o => o.RoundTimeLimit > TimeSpan.Zero && o.RoundTimeLimit.TotalSeconds <= BookValidator.MaxTimeLimitSeconds,
                "Matching:RoundTimeLimit must be above 0 (and at most 2,000,000 s, about 23 days).")
            // A leg pays its weight's share of a trip carrying this load: 0 or less divides the round's costs into nothing (500).
            .Validate(o => o.ReferenceLoadKg > 0 && double.IsFinite(o.ReferenceLoadKg), "Matching:ReferenceLoadKg must be above 0 (kg).")
            // 0 had every proposal expire as it was made; a sweep interval of 0 ends the sweeps with the timer's exception.
            .Validate(o => o.ProposalTtl > TimeSpan.Zero, "Matching:ProposalTtl must be above 0 (how long towns have to answer).")
            .Validate(o => o.SweepInterval > TimeSpan.Zero, "Matching:SweepInterval must be above 0.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp => MatchingStorage.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton(sp => sp.GetRequiredService<MatchingStorage>().Store);
        services.AddSingleton<MatchingOutbox>();
        services.AddSqliteBackup(sp => (sp.GetRequiredService<MatchingStorage>().Store as SqliteMatchingStore)?.Database);
        services.AddHealthChecks().AddCheck<MatchingStoreHealthCheck>("matching-store", tags: ["ready"]);
        services.AddOutboxRelay<MatchingOutbox>();
        services.AddOutboxBacklogMetrics<MatchingOutbox>("matching");
        services.AddStateGauge<IMatchingStore, Domain.TradeStatus>(StateGauges.Trades, (store, ct) => store.CountTradesByStatusAsync(ct));

        services.AddTradeNetGrpcClient<Catalog.CatalogClient>("Catalog", "http://127.0.0.1:5102", "matching");

        services.AddTradeNetGrpcClient<Logistics.LogisticsClient>("Logistics", "http://127.0.0.1:5302", "matching", TimeSpan.FromSeconds(10));
        services.AddSingleton<TransportCosts>();
        services.AddSingleton<EngineClearing>();
        services.AddSingleton<BilateralClearing>();
        // Tests may register their own strategy first; otherwise Matching:Strategy chooses.
        services.TryAddSingleton<IClearingStrategy>(sp =>
            string.Equals(sp.GetRequiredService<IOptions<MatchingOptions>>().Value.Strategy, "bilateral", StringComparison.OrdinalIgnoreCase)
                ? sp.GetRequiredService<BilateralClearing>()
                : sp.GetRequiredService<EngineClearing>());
        services.AddSingleton<ClearingRounds>();
        services.AddSingleton<Api.CounterpartGate>();
        services.AddSingleton<Api.CounterpartBooks>();
        services.AddScoped<TradeLifecycle>();
        services.AddScoped<OperatorCancellation>();
        services.AddHostedService<ScheduledClearing>();
        services.AddHostedService<ProposalExpiry>();
        services.AddHostedService<ReservationRetry>();
        services.AddSingleton<RoundRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<RoundRetention>());
        services.AddSingleton<UnagreedTradeRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<UnagreedTradeRetention>());
        return builder;
    }

    /// <summary>Matching's consumers, on endpoints named for matching so they never share a queue with another service's.</summary>
    public static IBusRegistrationConfigurator AddMatchingConsumers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<ListingPublishedConsumer>().Endpoint(e => e.Name = "matching-listing-published");
        x.AddConsumer<ListingChangedConsumer>().Endpoint(e => e.Name = "matching-listing-changed");
        x.AddConsumer<ListingWithdrawnConsumer>().Endpoint(e => e.Name = "matching-listing-withdrawn");
        x.AddConsumer<ShipmentPickedUpConsumer>().Endpoint(e => e.Name = "matching-shipment-picked-up");
        x.AddConsumer<ShipmentDeliveredConsumer>().Endpoint(e => e.Name = "matching-shipment-delivered");
        x.AddConsumer<ShipmentFailedConsumer>().Endpoint(e => e.Name = "matching-shipment-failed");
        x.AddConsumer<TradeStoppedConsumer>().Endpoint(e => e.Name = "matching-trade-stopped");
        return x;
    }

    /// <summary>REST routes under /api/matching (matching serves no gRPC).</summary>
    public static IEndpointRouteBuilder MapMatching(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/matching").RefuseRepeatedQuery();
        api.MapRounds();
        api.MapTrades();
        api.MapBook();
        api.MapCounterparts();
        api.MapBackups();
        app.MapServiceOpenApi("matching");
        return app;
    }
}
