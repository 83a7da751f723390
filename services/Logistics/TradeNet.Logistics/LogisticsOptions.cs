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

    /// <summary>Category ids that must ride on chilled vehicles. TradeLeg does not carry the catalog's
    /// <c>perishable</c> flag, so logistics keeps the list; unset means the catalog seed's perishable categories.
    /// (Null rather than a default array: the configuration binder appends to an existing array.)</summary>
    public string[]? ChilledCategories { get; set; }

    public static readonly string[] DefaultChilledCategories =
        ["organic-vegetables", "organic-fruit", "eggs", "raw-milk", "cheese", "butter", "yogurt", "charcuterie", "poultry"];

    public bool IsChilled(string category) => (ChilledCategories ?? DefaultChilledCategories).Contains(category, StringComparer.OrdinalIgnoreCase);
}
