using System.Globalization;
using System.Net;
using System.Text;

namespace TradeNet.Logistics.Api;

/// <summary>What a sheet shows besides the route: the towns' names (<see cref="TownNames"/>; null when catalog could not
/// answer, and then the sheet shows ids and says so) and the zone its times are in (<c>Logistics:SheetTimeZone</c>).</summary>
public sealed record SheetContext(IReadOnlyDictionary<string, string>? TownNames, TimeZoneInfo Zone)
{
    /// <summary>"Roanne (42187)", or the id alone when catalog gave no name for it.</summary>
    public string Town(string id) => TownNames?.GetValueOrDefault(id) is { } name ? $"{name} ({id})" : id;

    public string Name(string id) => TownNames?.GetValueOrDefault(id) ?? "";

    /// <summary>The time in <see cref="Zone"/>; a direct trip's ETA at the end of the calendar (DirectTripPlanner) has
    /// no local time, so it stays in UTC, still the exact instant.</summary>
    public DateTimeOffset Local(DateTimeOffset at)
    {
        var local = at.UtcTicks + Zone.GetUtcOffset(at).Ticks;
        return local >= DateTime.MinValue.Ticks && local <= DateTime.MaxValue.Ticks ? TimeZoneInfo.ConvertTime(at, Zone) : at.ToUniversalTime();
    }
}

/// <summary>The driver's sheet for one route, as CSV (one row per load or unload; home departure and return as rows of
/// their own) and as a printable HTML page, with town names and local times. All text in the page is HTML-encoded; CSV
/// cells are quoted when needed and neutralised when a spreadsheet would read them as a formula.</summary>
public static class RouteSheet
{
    public const string CsvHeader = "sequence,town,town_name,eta,time_zone,action,category,quantity,weight_kg,from_town,from_town_name,to_town,to_town_name,trade_id,leg_index,shipment_id,status";

    /// <summary>The first row's action when the route's first loads are at home at the departure time: the vehicle
    /// starts there, loads, and leaves once loaded — not at the time shown, which is when loading starts.</summary>
    public const string StartAction = "start";

    public static string Csv(RouteView route, SheetContext sheet)
    {
        var csv = new StringBuilder(CsvHeader).Append('\n');
        var zone = sheet.Zone.Id;
        foreach (var stop in route.Stops)
        {
            var sequence = stop.Sequence.ToString(CultureInfo.InvariantCulture);
            var eta = Time(sheet.Local(stop.Eta));
            var rows = stop.Deliveries.Select(g => ("delivery", g)).Concat(stop.Pickups.Select(g => ("pickup", g))).ToList();
            if (rows.Count == 0)
            {
                Row(csv, sequence, stop.TownId, sheet.Name(stop.TownId), eta, zone, Action(route, stop), "", "", "", "", "", "", "", "", "", "", "");
                continue;
            }
            foreach (var (action, g) in rows)
                Row(csv, sequence, stop.TownId, sheet.Name(stop.TownId), eta, zone, action, g.Category, Number(g.Quantity),
                    Number(g.WeightKg), g.FromTown, sheet.Name(g.FromTown), g.ToTown, sheet.Name(g.ToTown), g.TradeId.ToString(),
                    g.LegIndex.ToString(CultureInfo.InvariantCulture), g.ShipmentId.ToString(), Status(g));
        }
        return csv.ToString();
    }

    public static string Html(RouteView route, SheetContext sheet)
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
            .Append(E(route.VehicleId)).Append("</b> · carrier <b>").Append(E(sheet.Town(route.CarrierTown))).Append("</b> · ")
            .Append(route.Shipments.ToString(CultureInfo.InvariantCulture)).Append(" shipments · cost ")
            .Append(E(route.Cost.ToString("F2", CultureInfo.InvariantCulture))).Append(" credits · times in <b>")
            .Append(E(sheet.Zone.Id)).Append("</b></p>\n");
        // A printed sheet outlives its route: say plainly that this one is not to be driven.
        if (route.Cancelled) html.Append("<p><b>Cancelled: this route is not to be driven; its goods go on other routes.</b></p>\n");
        if (sheet.TownNames is null) html.Append("<p>Town names are unavailable (the catalog did not answer): towns are shown by id.</p>\n");
        html.Append("<table>\n<thead><tr><th>#</th><th>Town</th><th>Time (").Append(E(sheet.Zone.Id))
            .Append(")</th><th>Unload</th><th>Load</th><th>Done</th></tr></thead>\n<tbody>\n");
        // A route across a clock change (Europe/Paris: the last Sundays of March and October) shows each time with its
        // offset: on the October night 02:30 comes twice, and the CSV's offsets are not on a printed sheet.
        var format = route.Stops.Select(s => sheet.Local(s.Eta).Offset).Distinct().Count() > 1 ? "yyyy-MM-dd HH:mm zzz" : "yyyy-MM-dd HH:mm";
        foreach (var stop in route.Stops)
        {
            var step = stop.Pickups.Length + stop.Deliveries.Length > 0 ? "" : Action(route, stop) switch
            {
                "depart" => "Leave home",
                StartAction => "Start here: load (next row), then leave",
                "return" => "Back home",
                _ => "",
            };
            html.Append("<tr><td>").Append(stop.Sequence.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(E(sheet.Town(stop.TownId)))
                .Append("</td><td>").Append(E(sheet.Local(stop.Eta).ToString(format, CultureInfo.InvariantCulture)))
                .Append("</td><td>").Append(step.Length > 0 ? $"<i>{E(step)}</i>" : Goods(stop.Deliveries, "from", g => g.FromTown))
                .Append("</td><td>").Append(Goods(stop.Pickups, "to", g => g.ToTown))
                .Append("</td><td>&#9744;</td></tr>\n");
        }
        html.Append("</tbody></table>\n</body></html>\n");
        return html.ToString();

        string Goods(RouteGoods[] goods, string direction, Func<RouteGoods, string> town) =>
            goods.Length == 0 ? "" : string.Join("<br>", goods.Select(g =>
                $"{E(Number(g.Quantity))} × {E(g.Category)} ({E(Number(g.WeightKg))} kg) {direction} {E(sheet.Town(town(g)))}, trade {E(g.TradeId.ToString()[..8])} leg {g.LegIndex}"));
    }

    /// <summary>What a stop without goods is: the departure, the return, or (were one left) a stop. A departure followed
    /// by loads in the same town at the same time is the route's start: the plan times the departure when loading
    /// begins, and the vehicle leaves once loaded, so "depart" would tell the driver to leave before loading.</summary>
    private static string Action(RouteView route, RouteStopView stop)
    {
        if (stop == route.Stops[^1] && route.Stops.Length > 1) return "return";
        if (stop != route.Stops[0]) return "stop";
        var next = route.Stops.Length > 1 ? route.Stops[1] : null;
        return next is not null && next.TownId == stop.TownId && next.Eta == stop.Eta && next.Pickups.Length > 0 ? StartAction : "depart";
    }

    private static string Status(RouteGoods g) => Domain.ShipmentTransitions.Describe(g.Status);

    /// <summary>ISO 8601 with the zone's offset: local to read, and still the exact instant for a program.</summary>
    private static string Time(DateTimeOffset local) => local.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Three decimals, or three significant digits below a thousandth: a balanced leg can be 19 mg of cheese (0.001 kg
    /// of wheat's worth), which three decimals wrote as "0 × cheese (0 kg)" for the driver to hand over.</summary>
    private static string Number(double value)
    {
        var decimals = value == 0 || !double.IsFinite(value) || Math.Abs(value) >= 0.001
            ? 3 : Math.Min(15, 2 - (int)Math.Floor(Math.Log10(Math.Abs(value))));
        return Math.Round(value, decimals).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }

    private static void Row(StringBuilder csv, params string[] cells)
    {
        csv.Append(string.Join(',', cells.Select(Cell))).Append('\n');
    }

    private static string Cell(string value)
    {
        // A leading = + - @ (or a tab or carriage return before one) makes spreadsheets evaluate the cell: keep it text.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
