using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using TradeNet.Catalog;
using TradeNet.Gateway;
using TradeNet.Logistics;
using TradeNet.Matching;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Messaging;

namespace TradeNet.Standalone;

/// <summary>Two web apps in one process: the services (REST + gRPC on internal ports) and the edge
/// in front of them, wired exactly as they are when each runs alone.</summary>
public static class StandaloneHost
{
    public static async Task RunAsync(string[] args)
    {
        var config = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var options = StandaloneOptions.From(config);

        var services = BuildServices(args, options);
        if (!await StartedAsync(services))
        {
            await StopAsync(services);
            Console.WriteLine("TradeNet standalone stopped while its services started.");
            return;
        }
        // The edge starts once the services listen, so its first health probes find them up.
        var edge = BuildEdge(args, options);
        var signals = services.Services.GetRequiredService<StoppedByTheEdge>();
        var edgeStarted = await StartedAsync(edge);
        // The edge's console lifetime takes the signals while it runs.
        signals.EdgeTakesSignals = true;
        if (!edgeStarted)
        {
            await StopAsync(edge);
            await StopAsync(services);
            Console.WriteLine("TradeNet standalone stopped while its gateway started.");
            return;
        }

        if (options.Seed) await SeedAsync(options, services, edge);
        // A SIGTERM during the seed: the hosts are already stopping, so "running" would be untrue.
        if (!services.Lifetime.ApplicationStopping.IsCancellationRequested && !edge.Lifetime.ApplicationStopping.IsCancellationRequested)
            Announce(options);

        await Task.WhenAny(Stopping(edge), Stopping(services));
        // In order, each host stopped and disposed before the next: the edge, then the services it forwards to. Both used
        // to stop side by side on the signal and were never disposed, so the edge's health probes (timers that only its
        // disposal ends) kept probing the stopped services until the process exited: a warning a probe, 21 in the 2 s
        // telemetry flush of a stop under the app host with probes every 200 ms.
        // The edge's disposal ends its console lifetime: a second signal during the services' stop is this host's again.
        signals.EdgeTakesSignals = false;
        try
        {
            await StopAsync(edge);
            Console.WriteLine("TradeNet standalone: the gateway has stopped; stopping the services.");
        }
        finally
        {
            // Should the edge's stop throw, the services (their writers, outboxes, SQLite files) still stop in order
            // before the exception ends the process.
            await StopAsync(services);
        }
        Console.WriteLine("TradeNet standalone stopped: the gateway, then the services.");
    }

    /// <summary>False when a signal stopped the host as it started: its start token follows its stopping, and the start
    /// threw the cancellation out of the process (an unhandled exception, abort 134) instead of a stop.</summary>
    private static async Task<bool> StartedAsync(WebApplication app)
    {
        try
        {
            await app.StartAsync();
            return true;
        }
        catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static Task Stopping(WebApplication app)
    {
        var stopping = new TaskCompletionSource();
        app.Lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        return stopping.Task;
    }

    /// <summary>The demo seed, cut short by a stop (SIGTERM in the first second) or a failed request without taking the
    /// host down: it used to end the process with an unhandled exception. The next start finishes it (DemoSeed.PlanFile).</summary>
    private static async Task SeedAsync(StandaloneOptions options, WebApplication services, WebApplication edge)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(
            services.Lifetime.ApplicationStopping, edge.Lifetime.ApplicationStopping);
        try
        {
            // The catalog's key lifetime as the catalog in this process has it: a replay past it registers new towns.
            var keyLifetime = services.Services.GetRequiredService<IOptions<CatalogOptions>>().Value.RegistrationKeyLifetime;
            await DemoSeed.RunAsync(options.EdgeClientUrl, options, keyLifetime, edge.Logger, stopping.Token);
        }
        catch (Exception cut) when (cut is OperationCanceledException or HttpRequestException or IOException)
        {
            edge.Logger.LogWarning(stopping.IsCancellationRequested ? null : cut,
                "Demo seed cut short{Why}: the next start on {DataDir} finishes it", stopping.IsCancellationRequested ? " by the stop" : "",
                Path.GetFullPath(options.DataDir));
        }
    }

    private static WebApplication BuildServices(string[] args, StandaloneOptions options)
    {
        var builder = WebApplication.CreateBuilder(Options(args));
        builder.Configuration.AddInMemoryCollection(options.SharedSettings());
        builder.Configuration.AddInMemoryCollection(StandaloneOptions.Listen(options.ServicesUrl, options.GrpcUrl));
        builder.UseTradeNetEndpoints(options.ServicesUrl, options.GrpcUrl);
        builder.AddServiceDefaults("tradenet-standalone");
        // While the edge runs, the signal (SIGTERM, Ctrl+C) is the edge's to take: this host is stopped after it, by RunAsync.
        builder.Services.AddSingleton<StoppedByTheEdge>();
        builder.Services.AddSingleton<IHostLifetime>(sp => sp.GetRequiredService<StoppedByTheEdge>());
        builder.AddCatalog();
        builder.AddMatching();
        builder.AddLogistics();
        builder.AddTradeNetBus(x =>
        {
            x.AddCatalogConsumers();
            x.AddMatchingConsumers();
            x.AddLogisticsConsumers();
        });
        // A signal during the start is a stop, said in one line by RunAsync, not .NET's "Hosting failed to start" with a stack.
        var cancelledStart = CancelledStartLog.AddTo(builder);
        var app = builder.Build();
        cancelledStart.Follow(app.Lifetime);
        app.MapDefaultEndpoints();
        app.MapCatalog();
        app.MapMatching();
        app.MapLogistics();
        return app;
    }

    private static WebApplication BuildEdge(string[] args, StandaloneOptions options)
    {
        var builder = WebApplication.CreateBuilder(Options(args));
        builder.Configuration.AddInMemoryCollection(options.SharedSettings());
        builder.Configuration.AddInMemoryCollection(StandaloneOptions.Listen(options.EdgeUrl, null));
        builder.UseTradeNetEndpoints(options.EdgeUrl, null);
        // The services host's tracer and meter providers see the edge's spans and metrics too (sources and meters are matched
        // by name across the process): a second pair here exported every span and metric twice, once as "tradenet-edge".
        builder.Configuration.AddInMemoryCollection([new(TelemetryExtensions.TracesAndMetricsKey, "false")]);
        builder.AddServiceDefaults("tradenet-edge");
        builder.AddGatewayEdge();
        var cancelledStart = CancelledStartLog.AddTo(builder);
        var app = builder.Build();
        cancelledStart.Follow(app.Lifetime);
        app.MapDefaultEndpoints(headAsGet: false);
        app.MapGatewayEdge();
        return app;
    }

    // appsettings.json (log levels) sits beside the binary, wherever the host is started from.
    private static WebApplicationOptions Options(string[] args) => new() { Args = args, ContentRootPath = AppContext.BaseDirectory };

    private static void Announce(StandaloneOptions options)
    {
        var edge = options.EdgeClientUrl.GetLeftPart(UriPartial.Authority);
        Console.WriteLine($"""

            TradeNet standalone is running.
              API (gateway):  {edge}/api/catalog/categories
              API docs:       {edge}/api/docs
              Health:         {edge}/health
              Data folder:    {Path.GetFullPath(options.DataDir)}
              Operator key:   {(options.OperatorKeyGenerated ? options.OperatorKey + "  (generated for this run; set Gateway__Operators__0__Key to fix it)" : "(from configuration)")}
            {(options.Seed && File.Exists(DemoSeed.KeysFile(options)) ? $"  Demo towns and their API keys: {Path.Combine(Path.GetFullPath(options.DataDir), "demo-keys.json")}" : "")}
            Press Ctrl+C to stop.
            """);
    }
}

/// <summary>The services host's lifetime in the one-process host. While the edge runs, the signals are its own (a console
/// lifetime here would stop this host at the same moment as the edge that forwards to it; RunAsync stops it after).
/// Before the edge has started, a signal stops this host: with no handler then, a SIGTERM during the services' start
/// ended the process by the signal (143). After the edge is disposed, during this host's stop, a second signal is taken
/// and changes nothing, as a console lifetime's: without a handler it ended the process mid-stop (143).</summary>
internal sealed class StoppedByTheEdge(IHostApplicationLifetime lifetime) : IHostLifetime, IDisposable
{
    private PosixSignalRegistration[] _registrations = [];

    // Set on the main thread, read on the thread a signal comes in on.
    private volatile bool _edgeTakesSignals;

    public bool EdgeTakesSignals { get => _edgeTakesSignals; set => _edgeTakesSignals = value; }

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGTERM }.Select(s => PosixSignalRegistration.Create(s, OnSignal))];
        return Task.CompletedTask;
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_edgeTakesSignals) return;
        context.Cancel = true;
        lifetime.StopApplication();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
