using System.Net.Http.Headers;
using System.Net.Http.Json;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Grpc;
using TradeNet.Catalog.Storage;
using TradeNet.Testing;
using CatalogGrpc = TradeNet.Contracts.Grpc.Catalog;

namespace TradeNet.Catalog.Tests;

/// <summary>The catalog service in memory: its own SQLite folder, MassTransit's test harness as the bus.</summary>
public sealed class CatalogFactory : WebApplicationFactory<CatalogGrpcService>
{
    public TestSettings Settings { get; } = new();

    /// <summary>Settings of this host only (a small limit, say); set before its first request.</summary>
    public Dictionary<string, string?> ExtraSettings { get; } = [];

    /// <summary>A clock of the test's for the service (say, a <see cref="ShiftedClock"/> moved past a listing's window
    /// rather than a short window waited for); set before its first request.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Set before the host starts to retry a failed consume as the service's own bus does (BusExtensions), rather
    /// than give it up at once as the bare harness does.</summary>
    public bool RetryLikeTheBus { get; init; }

    /// <summary>Services of this host only, added after the service's own (a hosted service added here stops first).</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings.Configuration().Concat(ExtraSettings)) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddMassTransitTestHarness(x =>
            {
                x.AddCatalogConsumers();
                if (RetryLikeTheBus)
                    x.AddConfigureEndpointsCallback((_, _, endpoint) => endpoint.UseMessageRetry(r => r.Intervals(100, 500, 1000, 2000, 5000)));
            });
            if (Clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(Clock);
            }
            ExtraServices?.Invoke(services);
        });
    }

    public ITestHarness Harness => Services.GetTestHarness();

    /// <summary>Every delivery the bus finishes, counted per message id.</summary>
    public DeliveryCounter Deliveries { get; } = new();

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // A start that fails (a setting out of range) fails with its cause, not with the factory's ObjectDisposedException.
        var host = HostStart.BuildAndStart(builder);
        host.Services.GetRequiredService<IBus>().ConnectConsumeObserver(Deliveries);
        return host;
    }

    public ICatalogStore Store => Services.GetRequiredService<ICatalogStore>();

    public HttpClient ClientAs(AuthenticationHeaderValue? auth)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = auth;
        return client;
    }

    public CatalogGrpc.CatalogClient Grpc(AuthenticationHeaderValue? auth)
    {
        var channel = GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });
        var invoker = channel.Intercept(metadata =>
        {
            if (auth is not null) metadata.Add("authorization", auth.ToString());
            return metadata;
        });
        return new CatalogGrpc.CatalogClient(invoker);
    }

    /// <summary>Registers a town (a random one unless an INSEE code is given) and answers its id and key.</summary>
    public async Task<TownRegistration> RegisterTownAsync(string? inseeCode = null, double lat = 46.0333, double lon = 4.0667)
    {
        var response = await CreateClient().PostAsJsonAsync("/api/catalog/towns",
            new RegisterTownRequest($"Town {Guid.NewGuid():N}", lat, lon, inseeCode, ["cheese"]));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TownRegistration>())!;
    }

    public async Task<ListingView> PublishAsync(string townId, object listing)
    {
        var response = await ClientAs(TestSettings.TownAuth(townId)).PostAsJsonAsync("/api/catalog/listings", listing);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ListingView>())!;
    }

    public async Task<ListingView> ListingAsync(string id) =>
        (await CreateClient().GetFromJsonAsync<ListingView>($"/api/catalog/listings/{id}"))!;

    /// <summary>Waits until the outbox relay has put a matching event on the bus.</summary>
    public async Task<T> PublishedAsync<T>(Func<T, bool> match, string what) where T : class
    {
        var found = await Eventually.Until(
            () => Task.FromResult(Harness.PublishedSoFar<T>().Where(match).ToList()),
            messages => messages.Count > 0, TimeSpan.FromSeconds(15), what);
        return found[0];
    }

    /// <summary>Follows a list's pages by their <c>Link: rel="next"</c> headers; the ids in order, and how many pages.</summary>
    public async Task<(List<string> Ids, int Pages)> ReadPagesAsync(string first)
    {
        var client = CreateClient();
        var (ids, pages, next) = (new List<string>(), 0, (string?)first);
        while (next is not null)
        {
            var response = await client.GetAsync(next);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement[]>();
            ids.AddRange(page!.Select(e => e.GetProperty("id").GetString()!));
            pages++;
            next = response.Headers.TryGetValues("Link", out var links)
                ? System.Text.RegularExpressions.Regex.Match(links.Single(), "^<([^>]+)>; rel=\"next\"$").Groups[1].Value
                : null;
        }
        return (ids, pages);
    }

    public int PublishedCount<T>(Func<T, bool> match) where T : class =>
        Harness.PublishedSoFar<T>().Count(match);

    // MassTransit's own stop can race itself at teardown (BusStopRace); anything else a host's stop throws still fails.
    public override ValueTask DisposeAsync() => BusStopRace.Tolerating(base.DisposeAsync(), Settings.Dispose);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Settings.Dispose();
    }
}
