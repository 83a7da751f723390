using TradeNet.Logistics.Domain;
using TradeNet.Shared.Storage;

namespace TradeNet.Logistics.Storage;

/// <summary>Which shipments to list: of one trade (or of any of <see cref="TradeIds"/>: a page of transfers reads its
/// trades' shipments at once), and/or only those a town sends, receives or carries; only in <see cref="Statuses"/> (an
/// empty set finds none); only due before <see cref="EtaBefore"/>; and after <see cref="After"/>, a shipment of an earlier
/// page (whatever its status now), in the list's order.</summary>
public sealed record ShipmentQuery(Guid? TradeId = null, string? VisibleTo = null, int Limit = 500,
    IReadOnlyCollection<ShipmentStatus>? Statuses = null, DateTimeOffset? EtaBefore = null, Shipment? After = null,
    IReadOnlyCollection<Guid>? TradeIds = null);

/// <summary>Vehicles of one town (or all) after <see cref="After"/>, where an earlier page ended (by home town then id),
/// at most <see cref="Limit"/>.</summary>
public sealed record VehiclePage(string? HomeTown, VehicleCursor? After, int Limit);

/// <summary>Where a page of vehicles ends: the last vehicle's home town and id (the list's order). A place, not a
/// vehicle: the walk goes on from it after that vehicle is withdrawn.</summary>
public sealed record VehicleCursor(string HomeTown, string Id)
{
    public static VehicleCursor Of(Vehicle vehicle) => new(vehicle.HomeTown, vehicle.Id);
}

/// <summary>What a vehicle registration reads to answer a retry: outside a write (so catalog is not asked for a
/// retry) and again inside the write that would register it (so concurrent retries register one vehicle).</summary>
public interface IVehicleReads
{
    Task<Vehicle?> VehicleAsync(string id, CancellationToken ct = default);

    /// <summary>What the caller registered under this <c>Idempotency-Key</c>, if it used it.</summary>
    Task<VehicleRegistration?> VehicleRegistrationAsync(string caller, string key, CancellationToken ct = default);
}

/// <summary>Logistics' storage port: reads here, writes through a session.</summary>
public interface ILogisticsStore : IVehicleReads
{
    /// <summary>Starts one atomic write (state + outbox + inbox).</summary>
    Task<ILogisticsSession> BeginAsync(CancellationToken ct = default);

    Task<Shipment?> ShipmentAsync(Guid id, CancellationToken ct = default);

    /// <summary>Newest first (by creation, then trade, leg and id: the keyset <see cref="ShipmentQuery.After"/> pages on),
    /// at most <see cref="ShipmentQuery.Limit"/>.</summary>
    Task<IReadOnlyList<Shipment>> ShipmentsAsync(ShipmentQuery query, CancellationToken ct = default);

    Task<IReadOnlyList<TransferOrder>> TransfersOfTradeAsync(Guid tradeId, CancellationToken ct = default);

    /// <summary>The transfers with these ids, each once (an id given twice is asked for once), in no particular order;
    /// unknown ids are left out, and no ids find none.
    /// One query for a whole page of shipments, which show their goods from their transfers.</summary>
    Task<IReadOnlyList<TransferOrder>> TransfersAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct = default);

    /// <summary>Transfers in one status, oldest first (by creation, trade, leg), at most <paramref name="limit"/>; after
    /// <paramref name="after"/> in that order when given (a transfer of an earlier page, whatever its status now).</summary>
    Task<IReadOnlyList<TransferOrder>> TransfersInStatusAsync(TransferStatus status, int limit, TransferOrder? after = null,
        CancellationToken ct = default);

    /// <summary>The shipments sharing one vehicle route, in no particular order.</summary>
    Task<IReadOnlyList<Shipment>> ShipmentsOfRouteAsync(Guid routeId, CancellationToken ct = default);

    /// <summary>One vehicle's shipments that keep it busy (planned or picked up) or that ended (delivered or failed) due at
    /// or after <paramref name="endedSince"/>: what a planning run counts of it (<see cref="ILogisticsSession.ActiveShipmentsAsync"/>,
    /// <see cref="ILogisticsSession.EndedShipmentsAsync"/>), read outside any write.</summary>
    Task<IReadOnlyList<Shipment>> ShipmentsOfVehicleAsync(string vehicleId, DateTimeOffset endedSince, CancellationToken ct = default);

    /// <summary>All vehicles, or those based in one town; by home town then id.</summary>
    Task<IReadOnlyList<Vehicle>> VehiclesAsync(string? homeTown = null, CancellationToken ct = default);

    /// <summary>A page of <see cref="VehiclesAsync(string?, CancellationToken)"/>, in the same order.</summary>
    Task<IReadOnlyList<Vehicle>> VehiclePageAsync(VehiclePage page, CancellationToken ct = default);

    /// <summary>The trace context the trade's agreement arrived in, for linking later reports to it; null if unknown.</summary>
    Task<string?> TradeTraceAsync(Guid tradeId, CancellationToken ct = default);

    /// <summary>The wrong handover codes counted for each of these shipments that has any (the others are absent). A read
    /// only, outside any write: what a shipment view shows, not what a report decides on
    /// (<see cref="ILogisticsSession.HandoverAttemptsAsync"/>).</summary>
    Task<IReadOnlyDictionary<Guid, int>> WrongHandoverCodesAsync(IReadOnlyCollection<Guid> shipmentIds, CancellationToken ct = default);

    /// <summary>The tags of the wrong codes counted for each of these shipments that has any (the others are absent). A read
    /// only, outside any write: what a stop report sorts its codes by before each shipment's write decides on them.</summary>
    Task<IReadOnlyDictionary<Guid, IReadOnlySet<string>>> WrongHandoverCodeTagsAsync(IReadOnlyCollection<Guid> shipmentIds, CancellationToken ct = default);

    /// <summary>How many shipments are in each status now; a status without shipments may be absent.</summary>
    Task<IReadOnlyDictionary<ShipmentStatus, long>> CountShipmentsByStatusAsync(CancellationToken ct = default);

    /// <summary>The secret of this name: 32 random bytes made by whoever asks first, the same for every replica and every
    /// restart after (it lives as long as the database).</summary>
    Task<byte[]> SecretAsync(string name, CancellationToken ct = default);
}

/// <summary>A write session: what it reads it reads inside the same transaction, so decisions hold at commit.</summary>
public interface ILogisticsSession : IWriteScope, IVehicleReads
{
    /// <summary>Keeps the first trace context seen for a trade (later ones are ignored).</summary>
    Task RememberTradeTraceAsync(Guid tradeId, string traceParent, CancellationToken ct = default);

    /// <summary>Makes this session and any other that touches the same trade unable to both commit (the later one
    /// fails and is retried), so what one decided from its reads (the trade is not cancelled; it has no transfers yet)
    /// cannot be overtaken by the other's commit. SQLite writers already queue up (BEGIN IMMEDIATE); MongoDB
    /// transactions read snapshots, so there both write one document per trade.</summary>
    Task SerializeTradeAsync(Guid tradeId, CancellationToken ct = default);

    /// <summary>Adds a transfer; false (and nothing written) when the trade's leg already has one.</summary>
    Task<bool> AddTransferAsync(TransferOrder transfer, CancellationToken ct = default);

    Task<IReadOnlyList<TransferOrder>> TransfersOfTradeAsync(Guid tradeId, CancellationToken ct = default);

    /// <summary>Oldest first: what the next planning run should place. With <paramref name="readyBefore"/>, only legs whose
    /// goods are ready (window open) before it: a run leaves later ones pending, and they must not take its
    /// <paramref name="max"/> places from legs it can plan.</summary>
    Task<IReadOnlyList<TransferOrder>> PendingTransfersAsync(int max, DateTimeOffset? readyBefore = null, CancellationToken ct = default);

    Task SetTransferStatusAsync(Guid transferId, TransferStatus status, CancellationToken ct = default);

    Task<TransferOrder?> TransferAsync(Guid transferId, CancellationToken ct = default);

    /// <summary>Writes what changes on a transfer after it was added: status, attempts and last failure.
    /// Throws <see cref="KeyNotFoundException"/> when it does not exist.</summary>
    Task UpdateTransferAsync(TransferOrder transfer, CancellationToken ct = default);

    Task AddShipmentAsync(Shipment shipment, CancellationToken ct = default);

    Task<Shipment?> ShipmentAsync(Guid id, CancellationToken ct = default);

    Task<IReadOnlyList<Shipment>> ShipmentsOfTradeAsync(Guid tradeId, CancellationToken ct = default);

    /// <summary>Replaces the shipment if it is still at <paramref name="expectedVersion"/>;
    /// otherwise throws <see cref="ConcurrencyConflictException"/>.</summary>
    Task UpdateShipmentAsync(Shipment shipment, long expectedVersion, CancellationToken ct = default);

    /// <summary>Remembers that a trade was cancelled, so a late TradeAgreed plans nothing; false if already known.</summary>
    Task<bool> MarkTradeCancelledAsync(Guid tradeId, string reason, DateTimeOffset at, CancellationToken ct = default);

    Task<bool> IsTradeCancelledAsync(Guid tradeId, CancellationToken ct = default);

    /// <summary>The distinct wrong handover codes a carrier has given for the shipment: how many, and the tags of those
    /// counted since tags were kept (<see cref="Domain.HandoverCodes.WrongCodeTagAsync"/>). Two sessions that both read it for one
    /// shipment cannot both commit, so codes tried on the count are counted before another session reads it: SQLite writers
    /// queue up anyway (BEGIN IMMEDIATE); on MongoDB both write the shipment's <c>handoverAttempts</c> document.</summary>
    Task<HandoverAttempts> HandoverAttemptsAsync(Guid shipmentId, CancellationToken ct = default);

    /// <summary>Counts the wrong codes of these <paramref name="tags"/> that the shipment has not counted yet (a tag
    /// counted before, or given twice, counts nothing); returns the count.</summary>
    Task<int> CountWrongHandoverCodesAsync(Guid shipmentId, IReadOnlyCollection<string> tags, CancellationToken ct = default);

    Task<IReadOnlyList<Shipment>> ShipmentsOfRouteAsync(Guid routeId, CancellationToken ct = default);

    /// <summary>Shipments still on the road or waiting for it (planned or picked up): what keeps their vehicles busy.</summary>
    Task<IReadOnlyList<Shipment>> ActiveShipmentsAsync(CancellationToken ct = default);

    /// <summary>Shipments delivered or failed whose delivery was due at or after <paramref name="since"/>: the routes a
    /// vehicle drove lately, which a driver's day still counts (<see cref="Planning.DutyRules"/>).</summary>
    Task<IReadOnlyList<Shipment>> EndedShipmentsAsync(DateTimeOffset since, CancellationToken ct = default);

    /// <summary>The whole fleet, as the planner sees it at this moment.</summary>
    Task<IReadOnlyList<Vehicle>> VehiclesAsync(CancellationToken ct = default);

    Task AddVehicleAsync(Vehicle vehicle, CancellationToken ct = default);

    /// <summary>How many vehicles the town has (its home town's). Two sessions that both count for one town cannot both
    /// commit, so a limit checked on the count holds at commit: SQLite writers queue up anyway (BEGIN IMMEDIATE); on
    /// MongoDB both write the town's document in <c>townGuards</c>, so the later one fails with a conflict and is retried.</summary>
    Task<int> CountVehiclesAsync(string homeTown, CancellationToken ct = default);

    /// <summary>Keeps the key with the vehicle it registered, in the same write.</summary>
    /// <exception cref="ConcurrencyConflictException">The caller used the key already (a concurrent retry committed first).</exception>
    Task AddVehicleRegistrationAsync(VehicleRegistration registration, CancellationToken ct = default);

    /// <summary>False when the vehicle does not exist (any more).</summary>
    Task<bool> UpdateVehicleAsync(Vehicle vehicle, CancellationToken ct = default);

    Task<bool> DeleteVehicleAsync(string id, CancellationToken ct = default);

    /// <summary>Makes this write conflict with any other that changes or withdraws one of <paramref name="vehicleIds"/>: a
    /// planning run (or a cancellation's re-plan) books them on the vehicles as its write reads them, and a change (a smaller van, no more chilling) checks
    /// the goods already planned on it, which cannot include the run's routes before they commit. SQLite writers queue up
    /// anyway; on MongoDB this writes a counter on each vehicle's document, so one of the two fails and is retried.</summary>
    Task GuardVehiclesAsync(IReadOnlyCollection<string> vehicleIds, CancellationToken ct = default);

    /// <summary>The vehicles based in one town, as this write sees them (by id).</summary>
    Task<IReadOnlyList<Vehicle>> VehiclesOfTownAsync(string homeTown, CancellationToken ct = default);

    /// <summary>What was last heard of the town's standing; null: nothing (an active town). Two sessions that decide on
    /// one town's standing or vehicles cannot both commit (<see cref="CountVehiclesAsync"/>'s guard): a registration and a
    /// suspension of that town are one before the other.</summary>
    Task<TownStanding?> TownStandingAsync(string townId, CancellationToken ct = default);

    /// <summary>Keeps <paramref name="standing"/> as the town's, replacing what was known (the caller decides which wins).</summary>
    Task SetTownStandingAsync(TownStanding standing, CancellationToken ct = default);

    /// <summary>The towns whose last known standing is suspended: planning leaves their vehicles out.</summary>
    Task<IReadOnlySet<string>> SuspendedTownsAsync(CancellationToken ct = default);
}

/// <summary>Another writer changed the same shipment first; the caller re-reads and decides again.</summary>
public sealed class ConcurrencyConflictException(string message, Exception? inner = null) : WriteConflictException(message, inner);
