using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Api;

/// <summary>A vehicle to register or replace. <c>HomeTown</c> is only for operators (a town registers its own);
/// the home coordinates are where the vehicle starts and ends its routes. The parameters with a default are those
/// <see cref="VehicleValidation"/> lets a caller leave out, which the OpenAPI schema therefore leaves out of
/// <c>required</c> (a missing field binds null either way).</summary>
public sealed record VehicleRequest(
    double? HomeLat,
    double? HomeLon,
    double? CapacityKg,
    double? CostPerKm,
    string? HomeTown = null,
    string? Name = null,
    double? VolumeM3 = null,
    bool? Chilled = null,
    double? FixedCost = null,
    DateTimeOffset? AvailableFrom = null,
    DateTimeOffset? AvailableUntil = null,
    double? MaxRouteHours = null,
    WorkingHoursRequest? WorkingHours = null);

/// <summary>Daily working hours: <c>start</c> and <c>end</c> as "HH:mm" local time in <c>timeZone</c> (an IANA id), on
/// <c>days</c> ("mon" … "sun"; left out: every day). No overnight shifts: end after start, at least an hour apart.</summary>
public sealed record WorkingHoursRequest(string? Start, string? End, string? TimeZone, string[]? Days = null);

/// <summary>Working hours as stored: every day it works listed, Monday first.</summary>
public sealed record WorkingHoursView(string Start, string End, string TimeZone, IReadOnlyList<string> Days)
{
    public static WorkingHoursView? From(WorkingHours? hours) => hours is null ? null
        : new(WorkingHours.Format(hours.Start), WorkingHours.Format(hours.End), hours.TimeZone, hours.DayList);
}

/// <summary>A vehicle as the API shows it. <see cref="MaxRouteHours"/> is its own limit as given (null: none given);
/// <see cref="EffectiveMaxRouteHours"/> (read-only) the limit planning applies — its own, else <c>Logistics:MaxRouteHours</c>;
/// null only when that setting is 0 (no limit but its availability). <see cref="WorkingHours"/>: null when it works any hour.</summary>
public sealed record VehicleView(
    string Id,
    string HomeTown,
    double HomeLat,
    double HomeLon,
    string? Name,
    double CapacityKg,
    double? VolumeM3,
    bool Chilled,
    double CostPerKm,
    double FixedCost,
    DateTimeOffset? AvailableFrom,
    DateTimeOffset? AvailableUntil,
    double? MaxRouteHours,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    double? EffectiveMaxRouteHours = null,
    WorkingHoursView? WorkingHours = null)
{
    public static VehicleView From(Vehicle v, LogisticsOptions settings) => new(v.Id, v.HomeTown, v.Home.Lat, v.Home.Lon, v.Name,
        v.CapacityKg, v.VolumeM3, v.Chilled, v.CostPerKm, v.FixedCost, v.AvailableFrom, v.AvailableUntil, v.MaxRouteHours, v.CreatedAt,
        v.UpdatedAt, settings.RouteHoursOf(v), WorkingHoursView.From(v.WorkingHours));
}

/// <summary>Field checks for <see cref="VehicleRequest"/>; every problem names its field.</summary>
public static class VehicleValidation
{
    public const int MaxNameLength = 100;
    public const int MaxTownIdLength = 200;

    public static Dictionary<string, string[]> Check(VehicleRequest r, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];
        if (r.HomeLat is not { } lat || !double.IsFinite(lat) || lat is < -90 or > 90) Fail("homeLat", "is required, within [-90, 90]");
        if (r.HomeLon is not { } lon || !double.IsFinite(lon) || lon is < -180 or > 180) Fail("homeLon", "is required, within [-180, 180]");
        // The planner counts loads in grams and litres: a vehicle below a kilogram or ten litres would carry nothing.
        if (r.CapacityKg is not { } kg || !double.IsFinite(kg) || kg < Vehicle.MinCapacityKg || kg > Vehicle.MaxCapacityKg)
            Fail("capacityKg", $"is required and must be from {Vehicle.MinCapacityKg:0} to {Vehicle.MaxCapacityKg:0}");
        if (r.VolumeM3 is { } m3 && (!double.IsFinite(m3) || m3 < Vehicle.MinVolumeM3 || m3 > Vehicle.MaxVolumeM3))
            Fail("volumeM3", $"must be from {Vehicle.MinVolumeM3} to {Vehicle.MaxVolumeM3:0} when given");
        if (r.CostPerKm is not { } perKm || !double.IsFinite(perKm) || perKm < 0 || perKm > Vehicle.MaxCostPerKm)
            Fail("costPerKm", $"is required and must be from 0 to {Vehicle.MaxCostPerKm:0}");
        if (r.FixedCost is { } fixedCost && (!double.IsFinite(fixedCost) || fixedCost < 0 || fixedCost > Vehicle.MaxFixedCost))
            Fail("fixedCost", $"must be from 0 to {Vehicle.MaxFixedCost:0}");
        if (r.MaxRouteHours is { } hours && (!double.IsFinite(hours) || hours < Vehicle.MinRouteHours || hours > Vehicle.MaxRouteHoursLimit))
            Fail("maxRouteHours", $"must be from {Vehicle.MinRouteHours:0} to {Vehicle.MaxRouteHoursLimit:0} hours when given (leave it out for the default)");
        // Names and town ids reach route sheets, logs and events, where a control character could forge a line.
        if (r.Name is { Length: > MaxNameLength }) Fail("name", $"must be at most {MaxNameLength} characters");
        else if (r.Name is { } name && TextRules.HasUnsafeCharacters(name)) Fail("name", "must not contain control characters");
        // A blank name means none; one of zero-width characters alone is not blank to Trim, yet shows as nothing on a route sheet.
        else if (!string.IsNullOrWhiteSpace(r.Name) && !TextRules.HasLetterOrDigit(r.Name)) Fail("name", "must contain a letter or digit");
        if (r.HomeTown is { } home && (string.IsNullOrWhiteSpace(home) || home.Length > MaxTownIdLength || TextRules.HasUnsafeCharacters(home)))
            Fail("homeTown", "must be a town id");
        if (r.AvailableFrom is { } from && r.AvailableUntil is { } until && until <= from)
            Fail("availableUntil", "must be later than availableFrom");
        if (r.AvailableFrom > now + Vehicle.MaxAvailabilityAhead) Fail("availableFrom", "must be at most 10 years ahead");
        if (r.AvailableUntil > now + Vehicle.MaxAvailabilityAhead) Fail("availableUntil", "must be at most 10 years ahead (leave it out for no end)");
        if (r.WorkingHours is { } working) CheckHours(working, Fail);
        return errors;
    }

    private static void CheckHours(WorkingHoursRequest h, Action<string, string> fail)
    {
        var (start, end) = (WorkingHours.ParseTime(h.Start), WorkingHours.ParseTime(h.End));
        if (start is null) fail("workingHours.start", "is required, a local time as HH:mm (07:00)");
        if (end is null) fail("workingHours.end", "is required, a local time as HH:mm (18:00)");
        // Overnight shifts would need a working day across two dates; a run offers a vehicle inside one date's hours.
        else if (start is { } s && end <= s) fail("workingHours.end", "must be later than start on the same day (no overnight shifts)");
        else if (start is { } from && end - from < WorkingHours.MinUseful)
            fail("workingHours.end", $"must be at least {WorkingHours.MinUseful.TotalHours:0} hour after start (a shorter day carries no route)");
        if (string.IsNullOrWhiteSpace(h.TimeZone)) fail("workingHours.timeZone", "is required, an IANA time zone id such as Europe/Paris");
        else if (WorkingHours.FindZone(h.TimeZone.Trim()) is null)
            fail("workingHours.timeZone", "is not a time zone this system knows: give an IANA id such as Europe/Paris or UTC");
        if (h.Days is not { } days) return;
        if (days.Length is 0 or > 7) fail("workingHours.days", "must list 1 to 7 days (mon … sun); leave it out for every day");
        else if (Array.FindIndex(days, d => WorkingHours.DayNamed(d) is null) is var i and >= 0)
            fail("workingHours.days", $"days[{i}] is not a day: use mon, tue, wed, thu, fri, sat or sun");
    }

    public static WorkingHours? HoursOf(WorkingHoursRequest? h) => h is null ? null
        : new(WorkingHours.ParseTime(h.Start)!.Value, WorkingHours.ParseTime(h.End)!.Value, WorkingHours.FindZone(h.TimeZone!.Trim())!.Id,
            WorkingHours.DaysOf(h.Days));

    /// <summary>An ended window would read as a vehicle in the fleet that the planner never uses (DELETE withdraws one).
    /// Apart from <see cref="Check"/>: a registration retried under its Idempotency-Key after its window ended is answered
    /// with the vehicle it registered, so this is checked only once no earlier registration answers.</summary>
    public static Dictionary<string, string[]> Ended(VehicleRequest r, DateTimeOffset now) =>
        r.AvailableUntil <= now
            ? new() { ["availableUntil"] = ["must be in the future; a vehicle whose availability has ended is never planned (withdraw it instead)"] }
            : [];

    // Times in UTC, as the stores keep them, so the answer to a registration or change reads as every later read does
    // (it echoed the sender's offset, "+14:00", while reads gave "+00:00"), as catalog's listings do.
    public static Vehicle Build(string id, string homeTown, VehicleRequest r, DateTimeOffset createdAt, DateTimeOffset now) =>
        new(id, homeTown, new TradePoint(r.HomeLat!.Value, r.HomeLon!.Value), string.IsNullOrWhiteSpace(r.Name) ? null : r.Name.Trim(),
            r.CapacityKg!.Value, r.VolumeM3, r.Chilled ?? false, r.CostPerKm!.Value, r.FixedCost ?? 0, r.AvailableFrom?.ToUniversalTime(),
            r.AvailableUntil?.ToUniversalTime(), createdAt, now, r.MaxRouteHours, HoursOf(r.WorkingHours));
}
