using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TradeNet.Catalog.Tests;

/// <summary>What Kestrel does at a stop and the test server does not: the host's stop waits for the requests in flight.
/// A test host stopped by <c>StopApplication</c> is stopped and disposed by the service's own <c>Run</c>; without this, a
/// request still answering then (its continuation late on a loaded machine) read services from a disposed container
/// and answered 500 (ObjectDisposedException) instead of its own answer.</summary>
public sealed class RequestsDrainedAtStop : IHostedService, IStartupFilter
{
    private int _inFlight;

    public static void AddTo(IServiceCollection services)
    {
        var drained = new RequestsDrainedAtStop();
        services.AddSingleton<IStartupFilter>(drained);
        // Added after the service's hosted services: stopped before them, as the server is.
        services.AddSingleton<IHostedService>(drained);
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            Interlocked.Increment(ref _inFlight);
            try
            {
                await inner(context);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        });
        next(app);
    };

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _inFlight) > 0) await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
    }
}
