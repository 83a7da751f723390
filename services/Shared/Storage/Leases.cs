namespace TradeNet.Shared.Storage;

/// <summary>Leases a service keeps in its own database beside the outbox (SQLite <c>leases</c> table, MongoDB
/// <c>leases</c> collection): a name held by one holder at a time until it runs out. The outbox relay's is here;
/// services name their own (matching's clearing round).</summary>
public static class Leases
{
    public const string OutboxRelay = "outbox-relay";
}
