using TradeNet.Contracts;

namespace TradeNet.Shared.Messaging;

/// <summary>
/// The events some TradeNet service consumes. The outbox relay publishes these mandatory: when no queue is bound to take
/// one (a broker rebuilt empty before the consumer redeclared its queue, a queue deleted by hand), RabbitMQ returns it
/// and the relay keeps it and tries again, where it used to be confirmed and dropped. Events nobody consumes (TownRegistered,
/// TradeProposed…) are not: returned every time, they would hold back their outbox for good. TradeNet.Deploy.Tests holds
/// this list to the consumers the three services register.
/// </summary>
public static class ConsumedEvents
{
    public static readonly IReadOnlySet<Type> All = new HashSet<Type>
    {
        typeof(ListingPublished), typeof(ListingChanged), typeof(ListingWithdrawn),
        typeof(TownSuspended), typeof(TownReinstated),
        typeof(TradeAgreed), typeof(TradeCancelled), typeof(TradeCompleted), typeof(TradeStopped),
        typeof(ShipmentPickedUp), typeof(ShipmentDelivered), typeof(ShipmentFailed),
    };
}
