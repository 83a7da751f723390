using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TradeNet.Shared.Hosting;

/// <summary>TradeNet's own trace source and meter, and the tag names operators search by.</summary>
public static class TradeNetTelemetry
{
    public const string Name = "TradeNet";
    public const string TradeId = "tradenet.trade_id";
    public const string ListingId = "tradenet.listing_id";
    public const string TownId = "tradenet.town_id";
    public const string ShipmentId = "tradenet.shipment_id";
    public const string RoundId = "tradenet.round_id";
    public const string State = "tradenet.state";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    // Counted where the events that announce them are published, so every service and host counts the same way.
    public static readonly Counter<long> Trades = Meter.CreateCounter<long>("tradenet.trades", "{trade}",
        "Trades entering a state (tag tradenet.state: proposed, agreed, cancelled, completed)");
    public static readonly Counter<long> Proposals = Meter.CreateCounter<long>("tradenet.proposals", "{proposal}",
        "Proposals settled, by outcome (tradenet.state: accepted, rejected, expired, refused)");
    public static readonly Counter<long> Shipments = Meter.CreateCounter<long>("tradenet.shipments", "{shipment}",
        "Shipments entering a state (tradenet.state: planned, picked_up, delivered, failed)");
    public static readonly Histogram<double> ClearingDuration = Meter.CreateHistogram<double>("tradenet.clearing.duration", "s",
        "Wall time of a clearing round, solver included");
    public static readonly Histogram<double> ClearingObjective = Meter.CreateHistogram<double>("tradenet.clearing.objective", "{value}",
        "Total value a clearing round traded");
    public static readonly Histogram<double> ClearingGap = Meter.CreateHistogram<double>("tradenet.clearing.gap", "1",
        "Relative gap between the round's objective and the solver's upper bound (0 = proven optimal)");
    public static readonly Histogram<double> PlanningDuration = Meter.CreateHistogram<double>("tradenet.planning.duration", "s",
        "Wall time of one shipment planning call");
    public static readonly Histogram<double> RouteCost = Meter.CreateHistogram<double>("tradenet.route.cost", "{credit}",
        "Transport cost of each planned shipment");
    public static readonly Counter<long> ConsumeFaults = Meter.CreateCounter<long>("tradenet.consumer.faults", "{attempt}",
        "Failed consume attempts; each one short of the last is retried in place");
    public static readonly Counter<long> ErrorQueued = Meter.CreateCounter<long>("tradenet.messages.error_queued", "{message}",
        "Messages that failed every retry and were moved to their endpoint's _error queue");

    /// <summary>Copies the ids a message carries onto the span, so a trade's history can be pulled up by id.</summary>
    public static void TagTrade(Activity? activity, object message)
    {
        if (activity is null) return;
        var type = message.GetType();
        Tag(activity, TradeId, type.GetProperty("TradeId")?.GetValue(message));
        Tag(activity, ShipmentId, type.GetProperty("ShipmentId")?.GetValue(message));
        Tag(activity, ListingId, type.GetProperty("ListingId")?.GetValue(message));
        Tag(activity, TownId, type.GetProperty("TownId")?.GetValue(message));
        // Listing events carry a snapshot rather than bare ids.
        if (type.GetProperty("Listing")?.GetValue(message) is { } listing)
        {
            Tag(activity, ListingId, listing.GetType().GetProperty("Id")?.GetValue(listing));
            Tag(activity, TownId, listing.GetType().GetProperty("TownId")?.GetValue(listing));
        }
    }

    /// <summary>Links a span that starts a new trace (a town's answer, a carrier's report, a background sweep)
    /// to the trace the trade or shipment began in, so the dashboard can walk from one to the other.</summary>
    public static void LinkTo(Activity? activity, string? traceParent)
    {
        if (activity is null || !ActivityContext.TryParse(traceParent, null, out var earlier)) return;
        if (earlier.TraceId == activity.TraceId) return; // same trace: already connected by parentage
        // Once: the write loops that call this read the trade again after each lost race, and each read linked again.
        foreach (var link in activity.Links)
            if (link.Context.TraceId == earlier.TraceId && link.Context.SpanId == earlier.SpanId) return;
        activity.AddLink(new ActivityLink(earlier));
    }

    private static void Tag(Activity activity, string name, object? value)
    {
        if (value is not null) activity.SetTag(name, value.ToString());
    }
}
