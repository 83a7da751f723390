using Microsoft.Extensions.Configuration;

namespace TradeNet.AppHost;

/// <summary>How to get into the dashboard. It shows every resource's environment (the operator key among them) and all
/// telemetry, so it is Aspire's default: a browser token for the UI and an API key for its telemetry API, both generated
/// per run. Anonymous only when <c>ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS</c> (or the DOTNET_ name) is true.</summary>
public sealed record DashboardAccess(string? BrowserToken, string? ApiKey)
{
    public bool Anonymous => BrowserToken is null;

    /// <summary>Reads what Aspire generated: it puts the token and key into the builder's configuration while creating
    /// the builder (the token may come from ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN; the key cannot be chosen: without user
    /// secrets Aspire generates a new one each run).</summary>
    public static DashboardAccess From(IConfiguration config)
    {
        var anonymous = new[] { "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", "DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS" }
            .Any(name => bool.TryParse(config[name], out var on) && on);
        return anonymous ? new(null, null) : new(config["AppHost:BrowserToken"], config["AppHost:DashboardApiKey"]);
    }

    public string LoginUrl(string dashboardUrl) => Anonymous ? dashboardUrl : $"{dashboardUrl.TrimEnd('/')}/login?t={BrowserToken}";
}
