using System.Diagnostics;
using OpenTelemetry;

namespace TradeNet.Shared.Hosting;

/// <summary>Reads the trade, shipment and listing ids out of a request path, so the request spans of
/// <c>/api/matching/trades/{id}/...</c>, <c>/api/logistics/shipments/{id}/...</c> and
/// <c>/api/catalog/listings/{id}</c> carry them, at the gateway as in the services.</summary>
public static class TradeRouteTags
{
    public static void Tag(Activity activity, string? path, string? tradeQuery)
    {
        if (Guid.TryParse(tradeQuery, out var queried)) activity.SetTag(TradeNetTelemetry.TradeId, queried.ToString());
        if (string.IsNullOrEmpty(path)) return;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < segments.Length; i++)
        {
            var tag = segments[i] switch
            {
                "trades" => TradeNetTelemetry.TradeId,
                "shipments" => TradeNetTelemetry.ShipmentId,
                "listings" => TradeNetTelemetry.ListingId,
                _ => null,
            };
            // Only ids: "/trades/{id}" is tagged, "/shipments?trade=" and "/listings/mine" are not.
            if (tag is not null && Guid.TryParse(segments[i + 1], out var id)) activity.SetTag(tag, id.ToString());
            else if (tag == TradeNetTelemetry.ListingId && segments[i + 1].Length is > 0 and <= 64 && segments[i + 1] != "mine")
                activity.SetTag(tag, segments[i + 1]);
        }
    }
}

/// <summary>A span started inside a trade's span (a gRPC call, a publish, a store write) carries the
/// same ids, so searching by trade id finds the whole subtree in this process.</summary>
public sealed class TradeTagInheritance : BaseProcessor<Activity>
{
    private static readonly string[] Inherited =
        [TradeNetTelemetry.TradeId, TradeNetTelemetry.ShipmentId, TradeNetTelemetry.ListingId, TradeNetTelemetry.RoundId];

    public override void OnStart(Activity activity)
    {
        if (activity.Parent is not { } parent) return;
        foreach (var name in Inherited)
            if (activity.GetTagItem(name) is null && parent.GetTagItem(name) is { } value)
                activity.SetTag(name, value);
    }
}
