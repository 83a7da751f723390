using System.Diagnostics.Metrics;
using TradeNet.Shared.Hosting;

namespace TradeNet.Testing;

/// <summary>Reads a TradeNet state gauge the way an exporter would: one collection, its value per tradenet.state.</summary>
public static class StateGaugeReader
{
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
