using Microsoft.Extensions.DependencyInjection;

namespace TradeNet.AppHost;

public static class EmbeddedTopology
{
    /// <summary>The standalone host as one resource: all services and the edge in one process, in-memory bus,
    /// SQLite. Needs nothing but the .NET SDK.</summary>
    public static void AddEmbeddedTradeNet(this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        Console.WriteLine("TradeNet topology: embedded (the standalone host: one process, in-memory bus, SQLite). " +
                          "Pass --topology distributed for separate processes over RabbitMQ.");
        builder.AddProject<Projects.TradeNet_Standalone>("tradenet")
            .WithEnvironment("Standalone__EdgeUrl", settings.GatewayUrl)
            .WithEnvironment("Standalone__ServicesUrl", AppHostSettings.Http(AppHostSettings.FreePort()))
            .WithEnvironment("Standalone__GrpcUrl", AppHostSettings.Http(AppHostSettings.FreePort()))
            .WithEnvironment("Storage__DataDir", settings.DataDir)
            .WithEnvironment("Standalone__Seed", settings.Seed ? "true" : "false")
            .WithEnvironment("Gateway__Operators__0__Name", "operator")
            .WithEnvironment("Gateway__Operators__0__Key", settings.OperatorKey)
            .WithTelemetryExtras(settings);
        // Stopped and waited for before the app host hands the rest (the dashboard) to DCP: its last telemetry arrives.
        builder.Services.AddHostedService(sp => new ServicesStopFirst(sp, [["tradenet"]]));
        builder.Services.AddHostedService(sp => new ResourceExits(sp, ["tradenet"], settings.DashboardUrl));
    }

    /// <summary>Lets a test receive metrics itself: the dashboard shows metrics but has no API to read them.</summary>
    public static IResourceBuilder<T> WithTelemetryExtras<T>(this IResourceBuilder<T> resource, AppHostSettings settings)
        where T : IResourceWithEnvironment =>
        settings.ExtraMetricsEndpoint is { } endpoint
            ? resource.WithEnvironment("TradeNet__Telemetry__ExtraMetricsEndpoint", endpoint)
            : resource;
}
