using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Gateway.Tests;

/// <summary>The edge hosted the way another process (the standalone host) would: its own builder, the extension
/// methods, the matching cluster pointed at <paramref name="backend"/>; on a real Kestrel (a free loopback port) or a TestServer.</summary>
internal static class EdgeHost
{
    public static async Task<WebApplication> StartAsync(EchoBackend backend, bool kestrel, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder();
        if (kestrel) builder.WebHost.UseUrls("http://127.0.0.1:0");
        else builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:InternalTokenKey"] = TestSettings.TokenKey,
            ["ReverseProxy:Clusters:matching:Destinations:d1:Address"] = backend.Url,
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults("standalone");
        builder.AddGatewayEdge();
        var app = builder.Build();
        app.MapDefaultEndpoints(headAsGet: false);
        app.MapGatewayEdge();
        await app.StartAsync();
        return app;
    }
}
