using System.Net.Http.Headers;
using System.Net.Http.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Grpc;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>The logistics service in memory: its own SQLite file, MassTransit's test harness as the bus, and
/// <see cref="FakeCatalog"/> in place of catalog's gRPC service (unless a test keeps the real client).</summary>
public sealed class LogisticsApp : WebApplicationFactory<Program>
{
    private readonly TestSettings _settings = new();

    public FakeCatalog Catalog { get; } = new();

    /// <summary>The service's data folder: a test restores a backup by copying its files here before the first request.</summary>
    public string DataDir => _settings.DataDir;

    /// <summary>False keeps the real catalog client, pointed at <c>Services:Catalog:Grpc</c> (set it in <see cref="Settings"/>).</summary>
    public bool FakesCatalog { get; init; } = true;

    /// <summary>Settings of a test's own (set before the first request; they win over the defaults below).</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Set before the host starts to retry a failed consume as the service's own bus does (BusExtensions), rather
    /// than give it up at once as the bare harness does.</summary>
    public bool RetryLikeTheBus { get; init; }

    /// <summary>Services of a test's own, registered after the service's (so they win).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings.Configuration()) builder.UseSetting(key, value);
        // Planning only when a test asks for it, and quickly: the plans here are small.
        builder.UseSetting("Logistics:PlanningInterval", "00:00:00");
        builder.UseSetting("Logistics:PlanningTimeLimit", "00:00:00.500");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddMassTransitTestHarness(x =>
            {
                x.AddLogisticsConsumers();
                if (RetryLikeTheBus)
                    x.AddConfigureEndpointsCallback((_, _, endpoint) => endpoint.UseMessageRetry(r => r.Intervals(100, 500, 1000, 2000, 5000)));
            });
            if (FakesCatalog)
            {
                services.RemoveAll<LogisticsCatalogClient>();
                services.AddSingleton<LogisticsCatalogClient>(Catalog);
            }
            TestServices?.Invoke(services);
        });
    }

    // A start that fails (a setting out of range) fails with its cause, not with the factory's ObjectDisposedException.
    protected override IHost CreateHost(IHostBuilder builder) => HostStart.BuildAndStart(builder);

    public ITestHarness Harness => Services.GetTestHarness();

    /// <summary>Publishes as another service would (the message id is what the inbox keys on) and waits until
    /// logistics has consumed it once more. Counts through a consume observer: the harness's own lists keep one
    /// entry per message id (so a redelivery would not show) and its inactivity timer can run down while the
    /// host starts.</summary>
    public async Task PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        var before = Consumptions.Count(id);
        await Harness.Bus.Publish(message, ctx => ctx.MessageId = id);
        await Eventually.True(() => Task.FromResult(Consumptions.Count(id) > before), what: $"{typeof(T).Name} {id} to be consumed");
        Assert.Null(Consumptions.Fault(id));
    }

    /// <summary>Publishes as <see cref="PublishAsync{T}"/> does and waits until logistics has consumed it, expecting it to fault;
    /// returns the fault (the bare harness tries once).</summary>
    public async Task<Exception> PublishFaultingAsync<T>(T message) where T : class
    {
        var id = Guid.NewGuid();
        // The observer connects on first use: connected after the publish, it missed a consume that ended first.
        var consumptions = Consumptions;
        await Harness.Bus.Publish(message, ctx => ctx.MessageId = id);
        await Eventually.True(() => Task.FromResult(consumptions.Count(id) > 0), what: $"{typeof(T).Name} {id} to be consumed");
        return consumptions.Fault(id) ?? throw new Xunit.Sdk.XunitException($"{typeof(T).Name} {id} was consumed without a fault");
    }

    private ConsumptionCounter Consumptions
    {
        get
        {
            if (_consumptions is not null) return _consumptions;
            lock (_settings)
            {
                if (_consumptions is not null) return _consumptions;
                var counter = new ConsumptionCounter();
                Harness.Bus.ConnectConsumeObserver(counter);
                return _consumptions = counter;
            }
        }
    }

    private ConsumptionCounter? _consumptions;

    /// <summary>Waits for an event that logistics published (through its outbox) and returns it.</summary>
    public async Task<T> PublishedAsync<T>(Func<T, bool> match) where T : class
    {
        var found = await Eventually.Until(() => Task.FromResult(Published(match)), m => m.Count > 0, what: $"{typeof(T).Name} to be published");
        return found[0];
    }

    public List<T> Published<T>(Func<T, bool> match) where T : class =>
        Harness.PublishedSoFar<T>().Where(match).ToList();

    /// <summary>Waits until the outbox relay has published everything committed so far.</summary>
    public Task OutboxDrainedAsync() =>
        Eventually.True(async () => (await Services.GetRequiredService<LogisticsOutbox>().BacklogAsync(CancellationToken.None)).Pending == 0,
            what: "the logistics outbox to drain");

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? auth, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = auth;
        if (body is not null) request.Content = JsonContent.Create(body);
        return await CreateClient().SendAsync(request);
    }

    /// <summary>The shipment's handover code, as its receiving town (or an operator) reads it.</summary>
    public async Task<string> HandoverCodeAsync(Guid shipmentId)
    {
        var response = await SendAsync(HttpMethod.Get, $"/api/logistics/shipments/{shipmentId}", TestSettings.OperatorAuth());
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ShipmentView>(Json))!.HandoverCode!;
    }

    /// <summary>A carrier's delivery report with the code the receiving town gave at handover.</summary>
    public async Task<HttpResponseMessage> DeliverAsync(Guid shipmentId, string carrierTown) =>
        await SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{shipmentId}/delivery", TestSettings.TownAuth(carrierTown),
            new { handoverCode = await HandoverCodeAsync(shipmentId) });

    public async Task<ShipmentView[]> ShipmentsOfTradeAsync(Guid tradeId, AuthenticationHeaderValue auth)
    {
        var response = await SendAsync(HttpMethod.Get, $"/api/logistics/shipments?trade={tradeId}", auth);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ShipmentView[]>(Json))!;
    }

    /// <summary>The service writes enums in camelCase; the tests read them back the same way.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase) },
    };

    // MassTransit's own stop can race itself at teardown (BusStopRace); anything else a host's stop throws still fails.
    public override ValueTask DisposeAsync() => BusStopRace.Tolerating(base.DisposeAsync(), ReleaseFiles);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) ReleaseFiles();
    }

    private void ReleaseFiles()
    {
        SqliteDatabase.ClearPool(Path.Combine(_settings.DataDir, "logistics.db"));
        _settings.Dispose();
    }
}
