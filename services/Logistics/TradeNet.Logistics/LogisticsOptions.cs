namespace TradeNet.Logistics;

/// <summary>Section "Logistics": the transport model shared by shipment planning and <c>EstimateTransport</c>.</summary>
public sealed class LogisticsOptions
{
    public const string Section = "Logistics";

    /// <summary>Average road speed of a vehicle, km/h (default 60).</summary>
    public double SpeedKmh { get; set; } = 60;

    /// <summary>What a vehicle costs per road km, in credits (default 0.5).</summary>
    public double CostPerKm { get; set; } = 0.5;

    /// <summary>Road km per great-circle km (default 1.3, as everywhere in TradeNet).</summary>
    public double DetourFactor { get; set; } = Shared.Hosting.Geo.DefaultDetourFactor;
}
