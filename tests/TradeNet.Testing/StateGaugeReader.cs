using System.Diagnostics.Metrics;
using TradeNet.Shared.Hosting;

namespace TradeNet.Testing;

/// <summary>Reads a TradeNet state gauge the way an exporter would: one collection, its value per tradenet.state.</summary>
public static class StateGaugeReader
{
    /// <summary>
    /// Polls the store through <paramref name="poller"/> (rather than waiting for its 5 s timer) and reads its gauge, until
    /// the gauge shows <paramref name="expected"/> or 10 s pass; retried only because another test's host may report in between.
    /// </summary>
    public static Task<IReadOnlyDictionary<string, long>> PollUntil<TState>(StateGaugePoller<TState> poller, IReadOnlyDictionary<string, long> expected)
        where TState : struct, Enum =>
        Eventually.Until(async () =>
        {
            await poller.PollAsync(CancellationToken.None);
            return Read(poller.Gauge.Name);
        }, r => r.Count == expected.Count && expected.All(e => r.GetValueOrDefault(e.Key, -1) == e.Value), TimeSpan.FromSeconds(10));

    public static IReadOnlyDictionary<string, long> Read(string gauge)
    {
        var byState = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TradeNetTelemetry.Name && instrument.Name == gauge) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == TradeNetTelemetry.State && tag.Value is string state) byState[state] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return byState;
    }
}
