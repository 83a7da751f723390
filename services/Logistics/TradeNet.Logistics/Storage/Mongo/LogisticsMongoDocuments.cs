namespace TradeNet.Logistics.Storage.Mongo;

// Plain mutable documents; their BSON shape is fixed by the class maps in LogisticsMongoMaps, not by attributes.

public sealed class TransferDocument
{
    public Guid Id { get; set; }
    public Guid TradeId { get; set; }
    public int LegIndex { get; set; }
    public string FromTown { get; set; } = "";
    public string ToTown { get; set; } = "";
    public PointDocument From { get; set; } = new();
    public PointDocument To { get; set; } = new();
    public string Category { get; set; } = "";
    public double Quantity { get; set; }
    public double WeightKg { get; set; }
    public DateTime? WindowFrom { get; set; }
    public DateTime? WindowUntil { get; set; }
    public string Status { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    // Absent in documents written before attempts were counted: they read as 0 and null.
    public int Attempts { get; set; }
    public string? LastFailureReason { get; set; }
    public DateTime? LastFailedAt { get; set; }
}

public sealed class PointDocument
{
    public double Lat { get; set; }
    public double Lon { get; set; }
}

public sealed class ShipmentDocument
{
    public Guid Id { get; set; }
    public Guid TradeId { get; set; }
    public int LegIndex { get; set; }
    public Guid TransferId { get; set; }
    public string FromTown { get; set; } = "";
    public string ToTown { get; set; } = "";
    public string CarrierTown { get; set; } = "";
    public string VehicleId { get; set; } = "";
    public Guid RouteId { get; set; }
    public string Status { get; set; } = "";
    public double DistanceKm { get; set; }
    public double Cost { get; set; }
    public DateTime Eta { get; set; }
    public List<StopDocument> Stops { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime? PickedUpAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime? FailedAt { get; set; }
    public string? FailureReason { get; set; }
    public DateTime? CancelledAt { get; set; }
    public long Version { get; set; }
    public string? DirectTripReason { get; set; }
    public string? DirectTripDetail { get; set; }
}

public sealed class StopDocument
{
    public int Sequence { get; set; }
    public string TownId { get; set; } = "";
    public string Action { get; set; } = "";
    public DateTime Eta { get; set; }
}

public sealed class TradeTraceDocument
{
    public Guid TradeId { get; set; }
    public string TraceParent { get; set; } = "";
}

public sealed class CancelledTradeDocument
{
    public Guid TradeId { get; set; }
    public string Reason { get; set; } = "";
    public DateTime CancelledAt { get; set; }
}

public sealed class VehicleDocument
{
    public string Id { get; set; } = "";
    public string HomeTown { get; set; } = "";
    public PointDocument Home { get; set; } = new();
    public string? Name { get; set; }
    public double CapacityKg { get; set; }
    public double? VolumeM3 { get; set; }
    public bool Chilled { get; set; }
    public double CostPerKm { get; set; }
    public double FixedCost { get; set; }
    public DateTime? AvailableFrom { get; set; }
    public DateTime? AvailableUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>Absent from documents written before it existed: reads as null, the configured default.</summary>
    public double? MaxRouteHours { get; set; }
    /// <summary>Absent from documents written before it existed, and null for a vehicle that works any hour.</summary>
    public WorkingHoursDocument? WorkingHours { get; set; }
}

/// <summary>A vehicle's working hours: times as "HH:mm", days by name (every day it works).</summary>
public sealed class WorkingHoursDocument
{
    public string Start { get; set; } = "";
    public string End { get; set; } = "";
    public string TimeZone { get; set; } = "";
    public List<string> Days { get; set; } = [];
}

public sealed class VehicleRegistrationDocument
{
    public string Id { get; set; } = "";
    public string Caller { get; set; } = "";
    public string Key { get; set; } = "";
    public string VehicleId { get; set; } = "";
    public string Fingerprint { get; set; } = "";
    public DateTime At { get; set; }
}

/// <summary>The last TownSuspended or TownReinstated heard of a town; <c>_id</c> is the town id.</summary>
public sealed class TownStandingDocument
{
    public string TownId { get; set; } = "";
    public bool Suspended { get; set; }
    public DateTime At { get; set; }
    public string? Reason { get; set; }
}
