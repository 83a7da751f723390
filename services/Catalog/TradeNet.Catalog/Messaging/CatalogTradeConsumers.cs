using MassTransit;
using TradeNet.Catalog.Application;
using TradeNet.Contracts;

namespace TradeNet.Catalog.Messaging;

/// <summary>A cancelled trade's reserved quantities go back to its listings (once, however often the event arrives), except
/// what its delivered legs already moved, which is booked as fulfilled.</summary>
public sealed class CatalogTradeCancelledConsumer(ListingReservations reservations) : IConsumer<TradeCancelled>
{
    public const string Name = "catalog-trade-cancelled";

    // Released whether or not the trade was agreed: only a held reservation has anything to give back,
    // and a trade cancelled before reserving is remembered so a late reservation is refused.
    public Task Consume(ConsumeContext<TradeCancelled> context)
    {
        var message = context.Message;
        if (message.DeliveredLegs is not { Length: > 0 } delivered)
            return reservations.ReleaseAsync(MessageId(context), message.TradeId, Name, context.CancellationToken);
        // What already reached its town stays given: each delivered leg's quantity, on its offer and on its need.
        var moved = message.Legs.Where(l => delivered.Contains(l.Index))
            .SelectMany(l => new[] { (l.OfferId, l.Quantity), (l.NeedId, l.Quantity) })
            .GroupBy(x => x.Item1, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(x => x.Quantity), StringComparer.Ordinal);
        return reservations.ReleaseUndeliveredAsync(MessageId(context), message.TradeId, Name, moved, context.CancellationToken);
    }

    internal static Guid MessageId(ConsumeContext context) =>
        context.MessageId ?? throw new InvalidOperationException("A message without an id cannot be deduplicated.");
}

/// <summary>A completed trade's reserved quantities are booked as fulfilled, once.</summary>
public sealed class CatalogTradeCompletedConsumer(ListingReservations reservations) : IConsumer<TradeCompleted>
{
    public const string Name = "catalog-trade-completed";

    public Task Consume(ConsumeContext<TradeCompleted> context) =>
        reservations.FulfilAsync(CatalogTradeCancelledConsumer.MessageId(context), context.Message.TradeId, Name, context.CancellationToken);
}
