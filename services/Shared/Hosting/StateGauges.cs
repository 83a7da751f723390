using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TradeNet.Shared.Hosting;

/// <summary>A gauge of how many items are in each state right now: its metric name, unit and description.</summary>
public sealed record StateGauge(string Name, string Unit, string Description);

/// <summary>Gauges of the trades and shipments currently in each state (tag tradenet.state), one per metric name.
/// The counters tradenet.trades / tradenet.shipments count entries into a state; these count what is in it now.</summary>
public static class StateGauges
{
    public static readonly StateGauge Trades = new("tradenet.trades.current", "{trade}",
        "Trades currently in each state (tag tradenet.state: proposed, agreed, cancelled, completed)");
    public static readonly StateGauge Shipments = new("tradenet.shipments.current", "{shipment}",
        "Shipments currently in each state (tag tradenet.state: planned, picked_up, delivered, failed, cancelled)");

    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, long>> Latest = new();
    private static readonly ConcurrentDictionary<string, Lazy<ObservableGauge<long>>> Gauges = new();

    /// <summary>The tag value of a state: its enum name in snake_case, as the counters spell it (PickedUp → picked_up).</summary>
    public static string StateName<TState>(TState state) where TState : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(state.ToString());

    /// <summary>Polls <typeparamref name="TStore"/> every 5 s for the gauge (the store is async; the gauge reads the last poll).
    /// Every <typeparamref name="TState"/> is reported, 0 when the store found none.</summary>
    public static IServiceCollection AddStateGauge<TStore, TState>(this IServiceCollection services, StateGauge gauge,
        Func<TStore, CancellationToken, Task<IReadOnlyDictionary<TState, long>>> count)
        where TStore : notnull where TState : struct, Enum =>
        services.AddHostedService(sp =>
        {
            var store = sp.GetRequiredService<TStore>();
            return new StateGaugePoller<TState>(gauge, ct => count(store, ct), sp.GetRequiredService<ILogger<StateGaugePoller<TState>>>());
        });

    /// <summary>Creates the gauge once per name, however many pollers of one process report to it.</summary>
    internal static void Ensure(StateGauge gauge) =>
        _ = Gauges.GetOrAdd(gauge.Name, name => new Lazy<ObservableGauge<long>>(() =>
            TradeNetTelemetry.Meter.CreateObservableGauge(name, () => Observe(name), gauge.Unit, gauge.Description))).Value;

    internal static void Record(string name, IReadOnlyDictionary<string, long> counts) => Latest[name] = counts;

    // Nothing until the first poll: zeros would claim an empty store that was never read.
    private static IEnumerable<Measurement<long>> Observe(string name) =>
        Latest.TryGetValue(name, out var counts)
            ? counts.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>(TradeNetTelemetry.State, c.Key)))
            : [];
}

/// <summary>Counts the items per <typeparamref name="TState"/> every 5 s and hands the result to its gauge.</summary>
public sealed class StateGaugePoller<TState>(
    StateGauge gauge, Func<CancellationToken, Task<IReadOnlyDictionary<TState, long>>> count, ILogger<StateGaugePoller<TState>> logger)
    : GaugePoller(logger) where TState : struct, Enum
{
    public StateGauge Gauge => gauge;

    protected override string What => $"{gauge.Name} by state";

    public override async Task PollAsync(CancellationToken ct)
    {
        StateGauges.Ensure(gauge);
        var counts = await count(ct);
        StateGauges.Record(gauge.Name, Enum.GetValues<TState>().ToDictionary(StateGauges.StateName, s => counts.GetValueOrDefault(s)));
    }
}
