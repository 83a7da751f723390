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

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>Copies the ids a message carries onto the span, so a trade's history can be pulled up by id.</summary>
    public static void TagTrade(Activity? activity, object message)
    {
        if (activity is null) return;
        var type = message.GetType();
        Tag(activity, TradeId, type.GetProperty("TradeId")?.GetValue(message));
        Tag(activity, ShipmentId, type.GetProperty("ShipmentId")?.GetValue(message));
        Tag(activity, ListingId, type.GetProperty("ListingId")?.GetValue(message));
        Tag(activity, TownId, type.GetProperty("TownId")?.GetValue(message));
    }

    private static void Tag(Activity activity, string name, object? value)
    {
        if (value is not null) activity.SetTag(name, value.ToString());
    }
}
