using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Integration.Tests.Infrastructure;

namespace TradeNet.Integration.Tests;

/// <summary>The standalone host listens where its Standalone: settings say, whatever else the environment holds: a service's
/// Endpoints__Rest and Endpoints__Grpc (left exported in the shell, say) were read by both of its in-process apps, which
/// bound the same address, and the host stopped with "Another process listens there" — itself.</summary>
public sealed class StandaloneListenSettingsTests
{
    [Fact]
    public async Task A_services_endpoints_settings_in_the_environment_leave_the_standalone_hosts_addresses_as_they_are()
    {
        var tradeNet = new StandaloneTradeNet
        {
            Settings = new Dictionary<string, string>
            {
                ["Endpoints__Rest"] = $"http://127.0.0.1:{Repo.FreePort()}",
                ["Endpoints__Grpc"] = $"http://127.0.0.1:{Repo.FreePort()}",
            },
        };
        await tradeNet.InitializeAsync();
        try
        {
            await tradeNet.ExplainFailureAsync(async () =>
            {
                using var http = new HttpClient { BaseAddress = tradeNet.Gateway };
                // A town's key is checked over gRPC, then the request is forwarded to the services' REST port.
                var registered = await http.PostAsJsonAsync("/api/catalog/towns",
                    new { name = "Roanne", inseeCode = "42187", lat = 46.0443, lon = 4.07974, specialties = new[] { "cheese" } });
                Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
                var key = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString();
                using var trades = new HttpRequestMessage(HttpMethod.Get, "/api/matching/trades");
                trades.Headers.Add("X-Api-Key", key);

                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(trades)).StatusCode);
            });
        }
        finally
        {
            await tradeNet.DisposeAsync();
        }
    }
}
