using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Matching.Api;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Storage;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

/// <summary>The matching service in memory: its own data folder, the MassTransit test harness for a bus,
/// and <see cref="FakeCatalog"/> in place of the catalog's gRPC service.</summary>
public sealed class MatchingHost : WebApplicationFactory<Program>
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly TestSettings _settings = new();
    private readonly Dictionary<string, string?> _config;

    private readonly bool _fakeCatalog;

    /// <param name="fakeCatalog">False keeps the real gRPC client (pointed at <c>Services:Catalog:Grpc</c>).</param>
    public MatchingHost(Dictionary<string, string?>? config = null, bool fakeCatalog = true)
    {
        _fakeCatalog = fakeCatalog;
        _config = _settings.Configuration();
        // Sweeps are slow unless a test wants them, so they do not race the test's own calls.
        _config["Matching:SweepInterval"] = "01:00:00";
        foreach (var (key, value) in config ?? []) _config[key] = value;
    }

    public FakeCatalog Catalog { get; } = new();

    /// <summary>This host's data folder; another host given it as <c>Storage:DataDir</c> shares its store.</summary>
    public string DataDir => _settings.DataDir;

    /// <summary>Stands in for logistics (transport estimates, stopping a trade's goods); set to null before the host
    /// starts to keep the real gRPC client (pointed at <c>Services:Logistics:Grpc</c>).</summary>
    public FakeLogistics? Logistics { get; init; } = new();

    /// <summary>Set before the host starts to clear rounds with a test's own strategy.</summary>
    public IClearingStrategy? Strategy { get; init; }

    /// <summary>Set before the host starts to put a decorator around the real store.</summary>
    public Func<IMatchingStore, IMatchingStore>? WrapStore { get; init; }

    /// <summary>Set before the host starts to give the service a clock of the test's (say, a <see cref="ShiftedClock"/>
    /// moved past a deadline rather than a short deadline waited for).</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Set before the host starts to hold the counterparts' turn from the test (say, with a short wait).</summary>
    internal CounterpartGate? CounterpartGate { get; init; }

    /// <summary>Set before the host starts to retry a failed consume as the service's own bus does (BusExtensions), rather
    /// than give it up at once as the bare harness does: for hunts where a consume may lose a race and must retry.</summary>
    public bool RetryLikeTheBus { get; init; }

    /// <summary>Set before the host starts to record what the service logs.</summary>
    public RecordedLogs? Logs { get; init; }

    public ITestHarness Harness => Services.GetTestHarness();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _config) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddMassTransitTestHarness(x =>
            {
                x.AddMatchingConsumers();
                if (RetryLikeTheBus)
                    x.AddConfigureEndpointsCallback((_, _, endpoint) => endpoint.UseMessageRetry(r => r.Intervals(100, 500, 1000, 2000, 5000)));
            });
            if (Logs is not null) services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
            if (Logistics is not null)
            {
                services.RemoveAll<Logistics.LogisticsClient>();
                services.AddSingleton<Logistics.LogisticsClient>(Logistics);
            }
            if (WrapStore is not null)
            {
                services.RemoveAll<IMatchingStore>();
                services.AddSingleton(sp => WrapStore(sp.GetRequiredService<MatchingStorage>().Store));
            }
            if (Clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(Clock);
            }
            if (CounterpartGate is not null)
            {
                services.RemoveAll<CounterpartGate>();
                services.AddSingleton(CounterpartGate);
            }
            if (Strategy is not null)
            {
                services.RemoveAll<IClearingStrategy>();
                services.AddSingleton(Strategy);
            }
            if (!_fakeCatalog) return;
            services.RemoveAll<Catalog.CatalogClient>();
            services.AddSingleton<Catalog.CatalogClient>(Catalog);
        });
    }

    public HttpClient As(AuthenticationHeaderValue? auth)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = auth;
        return client;
    }

    public HttpClient Town(string townId) => As(TestSettings.TownAuth(townId));

    public HttpClient Operator() => As(TestSettings.OperatorAuth());

    public Task Publish<T>(T message, Guid? messageId = null) where T : class =>
        Harness.Bus.Publish(message, ctx => { if (messageId is { } id) ctx.MessageId = id; });

    /// <summary>Waits until the outbox relay has published a matching event.</summary>
    public Task<T> Published<T>(Func<T, bool>? where = null, string? what = null) where T : class =>
        Eventually.Until(() => Task.FromResult(Harness.PublishedSoFar<T>().FirstOrDefault(m => where?.Invoke(m) ?? true)),
            m => m is not null, TimeSpan.FromSeconds(20), what ?? typeof(T).Name)!;

    public int PublishedCount<T>(Func<T, bool>? where = null) where T : class =>
        Harness.PublishedSoFar<T>().Count(m => where?.Invoke(m) ?? true);

    public async Task<BookListingView[]> BookAsync() =>
        (await Operator().GetFromJsonAsync<BookListingView[]>("/api/matching/book", Json))!;

    public async Task<TradeView> TradeAsync(Guid id) =>
        (await Operator().GetFromJsonAsync<TradeView>($"/api/matching/trades/{id}", Json))!;

    public async Task<RoundView> RunRoundAsync()
    {
        var response = await Operator().PostAsync("/api/matching/rounds", null);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RoundView>(Json))!;
    }

    /// <summary>Publishes listings as catalog would and waits until the book holds them all.</summary>
    public async Task PublishListingsAsync(params ListingSnapshot[] listings)
    {
        foreach (var listing in listings) await Publish(new ListingPublished(listing));
        await Eventually.True(async () =>
        {
            var book = await BookAsync();
            return listings.All(l => book.Any(b => b.Id == l.Id && b.Version >= l.Version));
        }, TimeSpan.FromSeconds(20), "listings in the book");
    }

    // MassTransit's own stop can race itself at teardown (BusStopRace); anything else a host's stop throws still fails.
    public override ValueTask DisposeAsync() => BusStopRace.Tolerating(base.DisposeAsync(), _settings.Dispose);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _settings.Dispose();
    }
}
