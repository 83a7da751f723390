using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using TradeNet.Logistics.Domain;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Api;

/// <summary>What <c>GET /shipments</c> filters on: <c>status</c> (one of the names the API writes) and <c>overdue=true</c>
/// (due before now and not yet delivered, failed or cancelled). Both given: the shipments that are both (an overdue
/// status other than planned or pickedUp finds none).</summary>
public sealed record ShipmentFilters(IReadOnlyCollection<ShipmentStatus>? Statuses, DateTimeOffset? EtaBefore)
{
    /// <summary>Still to arrive: goods waiting for their pickup or on the road. Only these can be late.</summary>
    public static readonly IReadOnlyList<ShipmentStatus> Open = [ShipmentStatus.Planned, ShipmentStatus.PickedUp];

    public static string Name(ShipmentStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    private static string Names => string.Join(", ", Enum.GetValues<ShipmentStatus>().Select(Name));

    /// <summary>The filters, or null when <paramref name="status"/> or <paramref name="overdue"/> is not one of their values
    /// (<see cref="Problem"/> says which).</summary>
    public static ShipmentFilters? Parse(string? status, string? overdue, DateTimeOffset now)
    {
        ShipmentStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            // Names only: Enum.TryParse would also take "1" or "Planned, Failed".
            wanted = Enum.GetValues<ShipmentStatus>().Select(s => (ShipmentStatus?)s)
                .FirstOrDefault(s => string.Equals(Name(s!.Value), status.Trim(), StringComparison.OrdinalIgnoreCase));
            if (wanted is null) return null;
        }
        var late = false;
        if (!string.IsNullOrEmpty(overdue) && !bool.TryParse(overdue.Trim(), out late)) return null;
        IReadOnlyCollection<ShipmentStatus>? statuses = wanted is { } one ? [one] : null;
        if (late) statuses = (statuses ?? Open).Intersect(Open).ToList();
        return new(statuses, late ? now : null);
    }

    /// <summary>The 400 for what <see cref="Parse"/> refused: the status when it was not a status name, else overdue.</summary>
    public static ValidationProblem Problem(string? status) =>
        Parse(status, null, DateTimeOffset.UnixEpoch) is null
            ? Problems.Field("status", $"must be one of {Names}")
            : Problems.Field("overdue", "must be true or false");

    /// <summary>The handler takes every parameter as text to answer its own 400s; the document says what each takes.</summary>
    public static Task DocumentAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            switch (parameter.Name)
            {
                case "trade":
                    parameter.Description = "Only the shipments of this trade (its id).";
                    break;
                case "status":
                    parameter.Description = $"Only shipments in this status: {Names}.";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. Enum.GetValues<ShipmentStatus>().Select(s => (System.Text.Json.Nodes.JsonNode)Name(s))] };
                    break;
                case "overdue":
                    parameter.Description = "true: only shipments due before now (eta) and still planned or picked up; false or absent: no such filter.";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean };
                    break;
                case "limit":
                    parameter.Description = $"Page size, 1 to {Paging.MaxPage} (default {Paging.DefaultPage}); a page with more after it links to the next (Link: rel=\"next\").";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = Paging.MaxPage.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    break;
                case "after":
                    parameter.Description = "The id of the last shipment of the page before (the Link header gives it).";
                    break;
            }
        }
        return Task.CompletedTask;
    }
}
