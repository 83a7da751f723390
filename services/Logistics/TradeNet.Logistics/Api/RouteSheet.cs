using System.Globalization;
using System.Net;
using System.Text;

namespace TradeNet.Logistics.Api;

/// <summary>The driver's sheet for one route, as CSV (one row per load or unload; home departure and return as rows of
/// their own) and as a printable HTML page. All text in the page is HTML-encoded; CSV cells are quoted when needed and
/// neutralised when a spreadsheet would read them as a formula.</summary>
public static class RouteSheet
{
    public const string CsvHeader = "sequence,town,eta_utc,action,category,quantity,weight_kg,from_town,to_town,trade_id,leg_index,shipment_id,status";

    public static string Csv(RouteView route)
    {
        var csv = new StringBuilder(CsvHeader).Append('\n');
        foreach (var stop in route.Stops)
        {
            var rows = stop.Deliveries.Select(g => ("delivery", g)).Concat(stop.Pickups.Select(g => ("pickup", g))).ToList();
            if (rows.Count == 0)
            {
                var action = stop == route.Stops[0] ? "depart" : stop == route.Stops[^1] ? "return" : "stop";
                Row(csv, stop.Sequence.ToString(CultureInfo.InvariantCulture), stop.TownId, Time(stop.Eta), action, "", "", "", "", "", "", "", "", "");
                continue;
            }
            foreach (var (action, g) in rows)
                Row(csv, stop.Sequence.ToString(CultureInfo.InvariantCulture), stop.TownId, Time(stop.Eta), action, g.Category, Number(g.Quantity),
                    Number(g.WeightKg), g.FromTown, g.ToTown, g.TradeId.ToString(), g.LegIndex.ToString(CultureInfo.InvariantCulture),
                    g.ShipmentId.ToString(), Status(g));
        }
        return csv.ToString();
    }

    public static string Html(RouteView route)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Route sheet ")
            .Append(E(route.Id.ToString())).Append("</title>\n<style>")
            .Append("body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;width:100%}")
            .Append("th,td{border:1px solid #888;padding:.3em .5em;text-align:left;vertical-align:top}")
            .Append("tr{page-break-inside:avoid}@media print{body{margin:0}}")
            .Append("</style></head><body>\n");
        html.Append("<h1>Route sheet</h1>\n<p>Route <b>").Append(E(route.Id.ToString())).Append("</b> · vehicle <b>")
            .Append(E(route.VehicleId)).Append("</b> · carrier <b>").Append(E(route.CarrierTown)).Append("</b> · ")
            .Append(route.Shipments.ToString(CultureInfo.InvariantCulture)).Append(" shipments · cost ")
            .Append(E(route.Cost.ToString("F2", CultureInfo.InvariantCulture))).Append(" credits</p>\n");
        // A printed sheet outlives its route: say plainly that this one is not to be driven.
        if (route.Cancelled) html.Append("<p><b>Cancelled: this route is not to be driven; its goods go on other routes.</b></p>\n");
        html.Append("<table>\n<thead><tr><th>#</th><th>Town</th><th>Time (UTC)</th><th>Unload</th><th>Load</th><th>Done</th></tr></thead>\n<tbody>\n");
        foreach (var stop in route.Stops)
        {
            html.Append("<tr><td>").Append(stop.Sequence.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(E(stop.TownId))
                .Append("</td><td>").Append(E(stop.Eta.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)))
                .Append("</td><td>").Append(Goods(stop.Deliveries, "from", g => g.FromTown))
                .Append("</td><td>").Append(Goods(stop.Pickups, "to", g => g.ToTown))
                .Append("</td><td>&#9744;</td></tr>\n");
        }
        html.Append("</tbody></table>\n</body></html>\n");
        return html.ToString();

        string Goods(RouteGoods[] goods, string direction, Func<RouteGoods, string> town) =>
            goods.Length == 0 ? "" : string.Join("<br>", goods.Select(g =>
                $"{E(Number(g.Quantity))} × {E(g.Category)} ({E(Number(g.WeightKg))} kg) {direction} {E(town(g))}, trade {E(g.TradeId.ToString()[..8])} leg {g.LegIndex}"));
    }

    private static string Status(RouteGoods g) => Domain.ShipmentTransitions.Describe(g.Status);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static void Row(StringBuilder csv, params string[] cells)
    {
        csv.Append(string.Join(',', cells.Select(Cell))).Append('\n');
    }

    private static string Cell(string value)
    {
        // A leading = + - @ makes spreadsheets evaluate the cell: keep it text.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
