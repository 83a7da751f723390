using MassTransit;
using Microsoft.Extensions.Options;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Trades;

namespace TradeNet.Matching.Consumers;

/// <summary>Keeps matching's copy of the order book from catalog's listing events. Each effect is written
/// with the message id (inbox), so a redelivery changes nothing; a snapshot only replaces an older one,
/// so events that arrive out of order cannot roll the book back.</summary>
public sealed class ListingPublishedConsumer(IMatchingStore store, IOptions<MatchingOptions> options, TimeProvider clock,
    ILogger<ListingPublishedConsumer> logger) : IConsumer<ListingPublished>
{
    public Task Consume(ConsumeContext<ListingPublished> context) =>
        BookWrites.UpsertAsync(store, context, context.Message.Listing, "matching.listing-published", options.Value.DetourFactor, clock, logger);
}

public sealed class ListingChangedConsumer(IMatchingStore store, IOptions<MatchingOptions> options, TimeProvider clock,
    ILogger<ListingChangedConsumer> logger) : IConsumer<ListingChanged>
{
    public Task Consume(ConsumeContext<ListingChanged> context) =>
        BookWrites.UpsertAsync(store, context, context.Message.Listing, "matching.listing-changed", options.Value.DetourFactor, clock, logger);
}

/// <summary>Removes the listing from the book and cancels the proposals that counted on it.</summary>
public sealed class ListingWithdrawnConsumer(IMatchingStore store, TimeProvider clock, ILogger<ListingWithdrawnConsumer> logger)
    : IConsumer<ListingWithdrawn>
{
    public async Task Consume(ConsumeContext<ListingWithdrawn> context)
    {
        var message = context.Message;
        await using var session = await store.BeginAsync(context.CancellationToken);
        if (!await session.TryConsumeAsync(context.RequireMessageId(), "matching.listing-withdrawn", context.CancellationToken)) return;
        var entry = await session.GetListingAsync(message.ListingId, context.CancellationToken)
                    ?? new BookListing(message.ListingId, message.TownId, message.Version, false, null);
        await session.SaveListingAsync(entry.Withdraw(message.Version), context.CancellationToken);
        var pending = await session.TradesUsingListingAsync(message.ListingId, TradeStatus.Proposed, context.CancellationToken);
        var now = clock.GetUtcNow();
        foreach (var trade in pending)
            if (!await TradeWrites.CancelAsync(session, trade, $"listing {message.ListingId} withdrawn", now, context.CancellationToken))
                throw new TradeChangedException($"Trade {trade.Id} changed while cancelling it; the message will be retried.");
        await session.CommitAsync(context.CancellationToken);
        logger.LogInformation("Listing {ListingId} withdrawn; {Count} proposals cancelled", message.ListingId, pending.Count);
    }
}

internal static class BookWrites
{
    public static async Task UpsertAsync(IMatchingStore store, ConsumeContext context, ListingSnapshot listing, string consumer,
        double detourFactor, TimeProvider clock, ILogger logger)
    {
        await using var session = await store.BeginAsync(context.CancellationToken);
        if (!await session.TryConsumeAsync(context.RequireMessageId(), consumer, context.CancellationToken)) return;
        var current = await session.GetListingAsync(listing.Id, context.CancellationToken);
        if (current is { Withdrawn: true } || (current is not null && current.Version >= listing.Version))
            logger.LogDebug("Listing {ListingId} v{Version} ignored: the book holds v{Current}", listing.Id, listing.Version, current.Version);
        else
        {
            var entry = BookListing.Open(listing);
            await session.SaveListingAsync(entry, context.CancellationToken);
            var cancelled = await OverheldListings.CancelWhatNoLongerFitsAsync(session, entry, detourFactor, clock.GetUtcNow(),
                context.CancellationToken);
            if (cancelled > 0)
                logger.LogInformation("Listing {ListingId} changed (v{Version}, {Remaining} left); {Count} proposals no longer fit and were cancelled",
                    listing.Id, listing.Version, listing.Remaining, cancelled);
        }
        // Committed either way: the message id is recorded even when the snapshot was stale.
        await session.CommitAsync(context.CancellationToken);
    }

    public static Guid RequireMessageId(this ConsumeContext context) =>
        context.MessageId ?? throw new InvalidOperationException("A message without a message id cannot be deduplicated.");
}
