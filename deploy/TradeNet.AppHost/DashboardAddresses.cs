using Microsoft.Extensions.Configuration;

namespace TradeNet.AppHost;

/// <summary>
/// Where the Aspire dashboard listens: its pages (<c>ASPNETCORE_URLS</c>, 15080), the OTLP endpoint the processes send
/// telemetry to (<c>ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL</c>, 19080) and the app host's resource service it reads
/// (<c>ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL</c>, 20080). They were fixed in the launch profile, and <c>dotnet run</c> lets
/// a launch profile's values win over the shell's: a second app host on the machine, or a dashboard moved off a taken
/// port, was not possible. The defaults now apply only to what the environment and the command line leave unset, under
/// any of the names Aspire reads (<c>-- --ASPNETCORE_URLS=…</c> wins over the environment, as configuration does).
/// </summary>
public static class DashboardAddresses
{
    public const string DefaultDashboardUrl = "http://localhost:15080";

    /// <summary>The names to set and their defaults, each with the names that already set it.</summary>
    private static readonly (string Name, string Default, string[] SetBy)[] Settings =
    [
        ("ASPNETCORE_URLS", DefaultDashboardUrl, ["ASPNETCORE_URLS"]),
        // An OTLP/HTTP endpoint alone is a choice too: no gRPC one is added beside it.
        ("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "http://localhost:19080",
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "DOTNET_DASHBOARD_OTLP_ENDPOINT_URL",
             "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]),
        ("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "http://localhost:20080",
            ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "DOTNET_RESOURCE_SERVICE_ENDPOINT_URL"]),
        // The defaults are plain http on the loopback address, which Aspire takes only with this set.
        ("ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true", ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"]),
    ];

    /// <summary>The defaults the environment does not set already.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Missing(Func<string, string?> environment) =>
        [.. Settings.Where(s => s.SetBy.All(name => string.IsNullOrEmpty(environment(name))))
            .Select(s => KeyValuePair.Create(s.Name, s.Default))];

    /// <summary>Before the builder reads its configuration: fills in the defaults, leaving what the environment or the
    /// command line sets.</summary>
    public static void ApplyDefaults(string[] args)
    {
        foreach (var (name, value) in Missing(Given(args, Environment.GetEnvironmentVariable)))
            Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>A setting as the builder will find it: after <c>--</c> on the command line, else in the environment. The
    /// command line counts too because Aspire reads its ASPIRE_ name before the DOTNET_ one whatever their sources: a
    /// default put in the environment beside <c>-- --DOTNET_RESOURCE_SERVICE_ENDPOINT_URL=…</c> was the one used, and one beside
    /// <c>-- --ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=…</c> added a gRPC endpoint on 19080 (refused when taken).</summary>
    public static Func<string, string?> Given(string[] args, Func<string, string?> environment)
    {
        var commandLine = new ConfigurationBuilder().AddCommandLine(args).Build();
        return name => commandLine[name] is { Length: > 0 } value ? value : environment(name);
    }

    /// <summary>The addresses the dashboard and the resource service will listen on, as configured, each with its setting
    /// and port (a URL without a port, or that is no URL, is Aspire's to refuse).</summary>
    public static IEnumerable<(string Setting, string Url, int Port)> Configured(IConfiguration config) =>
        Settings.SelectMany(s => s.SetBy).Where(name => name.EndsWith("URL") || name.EndsWith("URLS"))
            .SelectMany(name => (config[name] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(url => (name, url, Uri.TryCreate(url.Replace("://+", "://localhost").Replace("://*", "://localhost"),
                    UriKind.Absolute, out var uri) ? uri.Port : -1)))
            .Where(address => address.Item3 > 0);

    /// <summary>A dashboard port another process listens on is refused as the gateway's is: the dashboard, which DCP starts,
    /// failed to bind unseen, and the app host printed a login link, and "Now listening on", for the other process's port.</summary>
    public static void RefuseTaken(IConfiguration config)
    {
        foreach (var (setting, url, port) in Configured(config))
            if (!ListenPorts.IsFree(port))
                throw new ArgumentException($"Failed to bind to address {url} ({setting}, the dashboard's): address already in use. " +
                    $"Another process listens there (another app host?): stop it, or move it with {setting} (docs/operations.md).");
    }
}
