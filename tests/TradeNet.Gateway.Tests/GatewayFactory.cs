using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;

namespace TradeNet.Gateway.Tests;

/// <summary>The gateway with every cluster pointed at the echo backend; the catalog (its key checks and revoked-key feed)
/// replaced by <paramref name="catalog"/> unless null (then the real gRPC client is used); its logs in <see cref="Logs"/>.</summary>
internal sealed class GatewayFactory(EchoBackend backend, FakeCatalog? catalog, IDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string OperatorName = "ops-lyon";
    public const string OperatorKey = "operator-key-0123456789-abcdef";

    public RecordedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Auth:InternalTokenKey", TestSettings.TokenKey);
        builder.UseSetting("Gateway:Operators:0:Name", OperatorName);
        builder.UseSetting("Gateway:Operators:0:Key", OperatorKey);
        foreach (var cluster in new[] { "catalog", "matching", "logistics" })
            builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:d1:Address", backend.Url);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (catalog is not null)
            builder.ConfigureTestServices(s => s.AddSingleton<Catalog.CatalogClient>(catalog));
    }
}
