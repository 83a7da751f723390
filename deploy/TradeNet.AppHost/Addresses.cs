using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Lifecycle;

namespace TradeNet.AppHost;

public static class Addresses
{
    /// <summary>Once the resources exist, tells the operator where to point a browser or a client.</summary>
    public static void PrintAddressesWhenStarted(this IDistributedApplicationBuilder builder, AppHostSettings settings) =>
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((_, _) =>
        {
            var dashboard = DashboardAccess.From(builder.Configuration);
            var telemetryApi = dashboard.Anonymous
                ? "no key (the dashboard is anonymous)"
                : $"{dashboard.ApiKey}   (header x-api-key, for {settings.DashboardUrl}/api/telemetry/...)";
            Console.WriteLine($"""
                ---------------------------------------------------------------
                TradeNet gateway : {settings.GatewayUrl}
                API docs         : {settings.GatewayUrl}/api/docs (index of the services' OpenAPI documents)
                Dashboard        : {dashboard.LoginUrl(settings.DashboardUrl)}
                Telemetry API key: {telemetryApi}
                Operator API key : {settings.OperatorKey}   (header X-Api-Key)
                Data folder      : {settings.DataDir}
                ---------------------------------------------------------------
                """);
            return Task.CompletedTask;
        });
}
