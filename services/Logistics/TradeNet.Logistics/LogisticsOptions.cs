namespace TradeNet.Logistics;

/// <summary>Section "Logistics": the transport model shared by shipment planning and <c>EstimateTransport</c>,
/// and how route planning runs.</summary>
public sealed class LogisticsOptions
{
    public const string Section = "Logistics";

    /// <summary>Average road speed of a vehicle, km/h (default 60).</summary>
    public double SpeedKmh { get; set; } = 60;

    /// <summary>What a vehicle costs per road km, in credits (default 0.5): direct trips and estimates.</summary>
    public double CostPerKm { get; set; } = 0.5;

    /// <summary>Road km per great-circle km (default 1.3, as everywhere in TradeNet).</summary>
    public double DetourFactor { get; set; } = Shared.Hosting.Geo.DefaultDetourFactor;

    /// <summary>How often pending transfers are planned onto the fleet (default 15 min; zero turns the schedule off,
    /// leaving <c>POST /api/logistics/plans</c>).</summary>
    public TimeSpan PlanningInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The route planner's time budget per run (default 2 s).</summary>
    public TimeSpan PlanningTimeLimit { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How far ahead a transfer or vehicle without a window of its own may be planned (default 7 days).</summary>
    public TimeSpan PlanningHorizon { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Loading and unloading time at each stop (default 15 min).</summary>
    public TimeSpan ServiceTime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>At most this many pending transfers per run (oldest first; the rest wait for the next run).</summary>
    public int MaxTransfersPerRun { get; set; } = 500;

    /// <summary>After this many failed shipments a leg is held (default 3): planning leaves it alone until an operator
    /// releases it, rather than sending a vehicle every run to a road that stays closed.</summary>
    public int MaxDeliveryAttempts { get; set; } = 3;

    /// <summary>How many vehicles one town may have registered, by itself or by an operator for it (default 50): a
    /// flood of vehicles would slow every planning run and every fleet read.</summary>
    public int MaxVehiclesPerTown { get; set; } = 50;

    /// <summary>A transfer's maximum time on board (end of loading to start of unloading) is this many times its direct
    /// drive plus <see cref="RideTimeSlack"/> (default 2): a detour may at most double the way. Zero turns the limit off.
    /// At least 1 otherwise, so that the direct trip a leg falls back to always keeps it.</summary>
    public double RideTimeFactor { get; set; } = 2;

    /// <summary>Added to the factor's time (default 1 h 30): room for about four other loads or unloads of
    /// <see cref="ServiceTime"/> on the way, and a wait for a window — consolidation needs some, and bread 5 km from home
    /// is then never more than 1 h 45 on board (it once was 5.5 h).</summary>
    public TimeSpan RideTimeSlack { get; set; } = TimeSpan.FromMinutes(90);

    /// <summary>The slack for chilled goods (default 45 min, tighter): a cooled van is opened at every stop, and milk, eggs
    /// and fresh produce lose shelf life by the hour even chilled, so they take shorter detours than dry goods.</summary>
    public TimeSpan ChilledRideTimeSlack { get; set; } = TimeSpan.FromMinutes(45);

    /// <summary>How long a vehicle's route may last, leaving home to being back, when the vehicle gives no
    /// <c>maxRouteHours</c> of its own (default 10): one driver's working day (EU rules allow 9 h of driving, 10 twice a
    /// week, within 13 h of duty). Zero: no limit but the vehicle's availability.</summary>
    public double MaxRouteHours { get; set; } = 10;

    /// <summary>The rest that ends a driver's duty (default 11 h, the EU's daily rest): the routes a vehicle drives with
    /// less than this between them together last at most its route limit, and one that used the limit up waits this long
    /// before the next (<see cref="Planning.DutyRules"/>). Zero: a vehicle is free for a new route the moment it is back.</summary>
    public double RestHours { get; set; } = 11;

    /// <summary>The route limit planning applies to this vehicle: its own <c>maxRouteHours</c>, else
    /// <see cref="MaxRouteHours"/>; null when that is 0 (no limit but its availability). The one rule for planning and
    /// for the vehicle's <c>effectiveMaxRouteHours</c>, so what a carrier reads is what runs plan with.</summary>
    public double? RouteHoursOf(Domain.Vehicle vehicle) => (vehicle.MaxRouteHours ?? MaxRouteHours) is > 0 and var hours ? hours : null;

    /// <summary>The IANA time zone route sheets show their times in (default <c>Europe/Paris</c>, where the network's
    /// towns are; a network elsewhere sets its own). Drivers read local time: 22:00 UTC is 23:00 in Roanne in December.
    /// The sheets name the zone, and the CSV's times carry their offset, so they stay exact whatever it is.</summary>
    public string SheetTimeZone { get; set; } = DefaultSheetTimeZone;

    public const string DefaultSheetTimeZone = "Europe/Paris";

    /// <summary>The zone <see cref="SheetTimeZone"/> names; validated at start, so it is found.</summary>
    public TimeZoneInfo SheetZone() => FindZone(SheetTimeZone)
        ?? throw new InvalidOperationException($"Logistics:SheetTimeZone '{SheetTimeZone}' is not a time zone.");

    /// <summary>The zone with this IANA id (the system's zone data, /usr/share/zoneinfo on Linux; InvariantGlobalization
    /// does not touch it), or null.</summary>
    public static TimeZoneInfo? FindZone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    /// <summary>Category ids that must ride on chilled vehicles. TradeLeg does not carry the catalog's
    /// <c>perishable</c> flag, so logistics keeps the list; unset means the catalog seed's perishable categories.
    /// (Null rather than a default array: the configuration binder appends to an existing array.)</summary>
    public string[]? ChilledCategories { get; set; }

    public static readonly string[] DefaultChilledCategories =
        ["organic-vegetables", "organic-fruit", "eggs", "raw-milk", "cheese", "butter", "yogurt", "charcuterie", "poultry"];

    public bool IsChilled(string category) => (ChilledCategories ?? DefaultChilledCategories).Contains(category, StringComparer.OrdinalIgnoreCase);
}
