using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MongoDB.Driver;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Grpc;
using TradeNet.Logistics.Messaging;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Storage.Mongo;
using TradeNet.Logistics.Storage.Sqlite;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Grpc;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Backups;

namespace TradeNet.Logistics;

public static class LogisticsExtensions
{
    public const string ServiceName = "logistics";

    /// <summary>Options, transport model, planner (the fleet's route planner with direct trips as fallback; replaceable:
    /// register another <see cref="IShipmentPlanner"/> first), scheduled planning,
    /// store (SQLite <c>{DataDir}/logistics.db</c>, or MongoDB when configured), outbox relay, gRPC options, and the
    /// catalog client (<c>Services:Catalog:Grpc</c>) that checks the home town an operator names for a vehicle and names
    /// the towns on route sheets.
    /// Expects <c>AddServiceDefaults</c> to have run once in the process.</summary>
    public static IHostApplicationBuilder AddLogistics(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddServiceOpenApi("logistics");
        services.AddOptions<LogisticsOptions>()
            .Bind(builder.Configuration.GetSection(LogisticsOptions.Section))
            .Validate(o => o.SpeedKmh > 0 && double.IsFinite(o.SpeedKmh), "Logistics:SpeedKmh must be a positive number.")
            .Validate(o => o.CostPerKm >= 0 && double.IsFinite(o.CostPerKm), "Logistics:CostPerKm must be zero or more.")
            .Validate(o => o.DetourFactor >= 1 && double.IsFinite(o.DetourFactor), "Logistics:DetourFactor must be at least 1.")
            .Validate(o => o.PlanningInterval >= TimeSpan.Zero, "Logistics:PlanningInterval must be zero (off) or positive.")
            .Validate(o => o.PlanningTimeLimit > TimeSpan.Zero, "Logistics:PlanningTimeLimit must be positive.")
            .Validate(o => o.PlanningHorizon > TimeSpan.Zero, "Logistics:PlanningHorizon must be positive.")
            .Validate(o => o.ServiceTime >= TimeSpan.Zero, "Logistics:ServiceTime cannot be negative.")
            .Validate(o => o.MaxTransfersPerRun > 0, "Logistics:MaxTransfersPerRun must be positive.")
            .Validate(o => o.MaxDeliveryAttempts >= 1, "Logistics:MaxDeliveryAttempts must be at least 1.")
            .Validate(o => o.MaxVehiclesPerTown >= 1, "Logistics:MaxVehiclesPerTown must be at least 1.")
            .Validate(o => o.RideTimeFactor == 0 || o.RideTimeFactor >= 1 && double.IsFinite(o.RideTimeFactor),
                "Logistics:RideTimeFactor must be 0 (no limit) or at least 1.")
            .Validate(o => o.RideTimeSlack >= TimeSpan.Zero && o.ChilledRideTimeSlack >= TimeSpan.Zero,
                "Logistics:RideTimeSlack and Logistics:ChilledRideTimeSlack cannot be negative.")
            .Validate(o => o.MaxRouteHours == 0 || o.MaxRouteHours >= Domain.Vehicle.MinRouteHours && o.MaxRouteHours <= Domain.Vehicle.MaxRouteHoursLimit,
                $"Logistics:MaxRouteHours must be 0 (no limit) or from {Domain.Vehicle.MinRouteHours} to {Domain.Vehicle.MaxRouteHoursLimit}.")
            .Validate(o => o.RestHours is >= 0 and <= 48, "Logistics:RestHours must be from 0 (no rest between routes) to 48.")
            .ValidateOnStart();
        // A message naming the value given, which a Validate(predicate, message) cannot.
        services.AddSingleton<IValidateOptions<LogisticsOptions>, SheetTimeZoneValidation>();
        services.AddOptions<StorageOptions>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp => TransportModel.From(sp.GetRequiredService<IOptions<LogisticsOptions>>().Value));
        services.AddSingleton<DirectTripPlanner>();
        services.TryAddSingleton<IShipmentPlanner, FleetShipmentPlanner>();
        services.AddSingleton<ShipmentPlanning>();
        services.AddHostedService<ScheduledPlanning>();
        services.AddSingleton<ShipmentTracking>();
        services.AddSingleton<TradeStops>();
        services.AddSingleton<RouteReplans>();
        services.AddSingleton(sp => new HandoverCodes(sp.GetRequiredService<ILogisticsStore>()));
        services.AddHostedService<HandoverSecretAtStart>();

        services.TryAddSingleton<ILogisticsStore>(sp => CreateStore(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton(sp => new LogisticsOutbox(sp.GetRequiredService<ILogisticsStore>() switch
        {
            LogisticsSqliteStore sqlite => sqlite.OutboxStore,
            LogisticsMongoStore mongo => mongo.OutboxStore,
            var other => throw new InvalidOperationException($"No outbox is known for store {other.GetType().Name}."),
        }));
        services.AddSqliteBackup(sp => (sp.GetRequiredService<ILogisticsStore>() as LogisticsSqliteStore)?.Database);
        services.AddOutboxRelay<LogisticsOutbox>();
        services.AddOutboxBacklogMetrics<LogisticsOutbox>("logistics");
        services.AddStateGauge<ILogisticsStore, ShipmentStatus>(StateGauges.Shipments, (store, ct) => store.CountShipmentsByStatusAsync(ct));
        services.AddHealthChecks().AddCheck<LogisticsStoreHealthCheck>("logistics-store");

        services.AddTradeNetGrpcClient<LogisticsCatalogClient>("Catalog", "http://127.0.0.1:5102", ServiceName);
        services.AddTransient<HomeTownCheck>();
        services.AddTransient<TownNames>();

        services.AddGrpc().AddServiceOptions<LogisticsGrpcService>(o => o.MaxReceiveMessageSize = LogisticsGrpcService.MaxReceiveMessageBytes);
        return builder;
    }

    public static ILogisticsStore CreateStore(StorageOptions storage) =>
        storage.UseMongo
            ? new LogisticsMongoStore(new MongoClient(storage.MongoConnectionString), LogisticsMongoStore.DefaultDatabase)
            : new LogisticsSqliteStore(storage.SqlitePath(ServiceName));

    /// <summary>Logistics' consumers on queues of their own (<c>logistics-trade-agreed</c>...), so they never
    /// compete with another service's consumer of the same event.</summary>
    public static IBusRegistrationConfigurator AddLogisticsConsumers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<TradeAgreedConsumer>().Endpoint(e => e.Name = "logistics-trade-agreed");
        x.AddConsumer<TradeCancelledConsumer>().Endpoint(e => e.Name = "logistics-trade-cancelled");
        x.AddConsumer<TownSuspendedConsumer>().Endpoint(e => e.Name = "logistics-town-suspended");
        x.AddConsumer<TownReinstatedConsumer>().Endpoint(e => e.Name = "logistics-town-reinstated");
        return x;
    }

    /// <summary>REST under <c>/api/logistics</c> and the gRPC <c>Logistics</c> service (service tokens only).</summary>
    public static IEndpointRouteBuilder MapLogistics(this IEndpointRouteBuilder app)
    {
        app.MapShipmentEndpoints().MapBackups();
        app.MapVehicleEndpoints();
        app.MapRouteEndpoints();
        app.MapTransferEndpoints();
        app.MapGrpcService<LogisticsGrpcService>().RequireAuthorization(Policies.Service)
            .AcceptingMessagesUpTo(LogisticsGrpcService.MaxReceiveMessageBytes);
        app.MapServiceOpenApi("logistics");
        return app;
    }
}
