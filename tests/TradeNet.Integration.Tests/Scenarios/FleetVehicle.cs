namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>Daily hours as <c>PUT /vehicles</c> takes them, in UTC so the scenario knows which hours are now.</summary>
public sealed record FleetHours(TimeOnly Start, TimeOnly End, string[]? Days = null)
{
    public object Body() => new { start = Start.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        end = End.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), timeZone = "UTC", days = Days };
}

/// <summary>A vehicle's terms as <see cref="RandomFleet"/> registered or last replaced them.</summary>
public sealed record FleetTerms(string HomeTown, double Lat, double Lon, double CapacityKg, bool Chilled, double CostPerKm,
    double FixedCost, double? MaxRouteHours = null, FleetHours? Hours = null, DateTimeOffset? AvailableUntil = null)
{
    public object Body() => new
    {
        homeTown = HomeTown, homeLat = Lat, homeLon = Lon, capacityKg = CapacityKg, chilled = Chilled, costPerKm = CostPerKm,
        fixedCost = FixedCost, maxRouteHours = MaxRouteHours, workingHours = Hours?.Body(), availableUntil = AvailableUntil,
    };
}

/// <summary>One of the fleet's vehicles and what the scenario did to it: the audit holds a route to the terms it was
/// planned under only while those cannot have changed (<see cref="Changed"/>), and to the most capacity it ever had.</summary>
public sealed class FleetVehicle(string id, FleetTerms terms, Trader? owner)
{
    private readonly Lock _gate = new();

    public string Id => id;

    /// <summary>The trading town that registered it and carries its routes' goods; null: an operator's, at a depot.</summary>
    public Trader? Owner => owner;

    public FleetTerms Terms { get; private set; } = terms;
    public double MaxCapacityKg { get; private set; } = terms.CapacityKg;
    public bool Changed { get; private set; }
    public bool Withdrawn { get; private set; }

    /// <summary>Marked before the request: a run planning meanwhile may already see the new terms.</summary>
    public void Changing(FleetTerms next)
    {
        lock (_gate)
        {
            Changed = true;
            MaxCapacityKg = Math.Max(MaxCapacityKg, next.CapacityKg);
        }
    }

    public void ChangedTo(FleetTerms next)
    {
        lock (_gate) Terms = next;
    }

    public void Withdrawing() => Withdrawn = true;
}
