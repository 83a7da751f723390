using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Options;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;

namespace TradeNet.Matching.Trades;

/// <summary>
/// A proposal's way to agreement or cancellation: towns answer their legs; when all legs are accepted,
/// catalog reserves the quantities (idempotent by trade id, so a retry is always safe). Every update
/// is version-checked, so two racing calls can never agree a trade twice.
/// </summary>
public sealed class TradeLifecycle(
    IMatchingStore store, Catalog.CatalogClient catalog, IOptions<MatchingOptions> options, TimeProvider clock, ILogger<TradeLifecycle> logger)
{
    private const int Attempts = 5;

    public async Task<AnswerResult> AnswerAsync(Guid tradeId, string townId, int? legIndex, bool accept, CancellationToken ct)
    {
        using var activity = TradeNetTelemetry.Source.StartActivity(accept ? "accept trade" : "reject trade");
        activity?.SetTag(TradeNetTelemetry.TradeId, tradeId.ToString());
        activity?.SetTag(TradeNetTelemetry.TownId, townId);
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var (result, retry) = await TryAnswerAsync(tradeId, townId, legIndex, accept, ct);
            if (retry) continue;
            // The reservation runs outside the write: a network call must never hold the store's write lock.
            return result.Status == AnswerStatus.Ok && accept && result.Trade is { Status: TradeStatus.Proposed, AllAccepted: true }
                ? await ReserveAsync(tradeId, ct)
                : result;
        }
        return Busy(tradeId);
    }

    private async Task<(AnswerResult Result, bool Retry)> TryAnswerAsync(Guid tradeId, string townId, int? legIndex, bool accept, CancellationToken ct)
    {
        await using var session = await store.BeginAsync(ct);
        var trade = await session.GetTradeAsync(tradeId, ct);
        if (trade is null || !trade.Involves(townId)) return (AnswerResult.NotFound($"Trade {tradeId} not found."), false);
        TradeNetTelemetry.LinkTo(Activity.Current, trade.TraceParent);

        List<TradeLegState> legs;
        if (legIndex is { } index)
        {
            var leg = trade.Legs.FirstOrDefault(l => l.Leg.Index == index);
            if (leg is null) return (AnswerResult.NotFound($"Trade {tradeId} has no leg {index}."), false);
            if (leg.Leg.FromTown != townId)
                return (AnswerResult.Forbidden($"Leg {index} is answered by the town that gives on it, not by {townId}."), false);
            legs = [leg];
        }
        else
        {
            legs = trade.Legs.Where(l => l.Leg.FromTown == townId).ToList();
            if (legs.Count == 0) return (AnswerResult.Forbidden($"Town {townId} gives nothing in trade {tradeId}."), false);
        }
        // Accepting again after the trade was agreed (say, a retry after a 503 the background retry resolved) is fine.
        if (accept && trade.Status is TradeStatus.Agreed or TradeStatus.Completed && legs.All(l => l.Response == LegResponse.Accepted))
            return (AnswerResult.Ok(trade), false);
        if (trade.Status != TradeStatus.Proposed)
            return (AnswerResult.Conflict(LateAnswers.NoLongerProposed(trade), trade), false);
        var now = clock.GetUtcNow();
        // Accepting again changes nothing, but the caller still gets the reservation retried; a fully accepted
        // trade was answered in time, so that retry stays open through the reservation grace.
        if (accept && legs.All(l => l.Response == LegResponse.Accepted)
            && (now <= trade.Deadline || (trade.AllAccepted && now <= trade.Deadline + options.Value.ReservationGrace)))
            return (AnswerResult.Ok(trade), false);
        if (now > trade.Deadline)
            return (AnswerResult.Conflict(LateAnswers.DeadlinePassed(trade), trade), false);

        var response = accept ? LegResponse.Accepted : LegResponse.Rejected;
        var updated = legs.Aggregate(trade, (t, l) => t.WithLeg(l.Leg.Index, s => s with { Response = response, AnsweredAt = now }));
        var reason = $"rejected by town {townId}";
        var written = accept
            ? await session.UpdateTradeAsync(updated, ct)
            : await TradeWrites.CancelAsync(session, updated, reason, now, ct);
        if (!written) return (AnswerResult.Conflict("changed concurrently"), true);
        await session.CommitAsync(ct);
        logger.LogInformation("Town {TownId} {Answer} trade {TradeId}", townId, accept ? "accepted" : "rejected", tradeId);
        if (!accept) updated = updated.Cancel(reason, now);
        return (AnswerResult.Ok(updated with { Version = updated.Version + 1 }), false);
    }

    /// <summary>Asks catalog to reserve a fully accepted proposal's quantities, then agrees or cancels it.
    /// Catalog unavailable, or a listing's terms changed since matching's copy: the trade stays proposed with every
    /// leg accepted, to be retried.</summary>
    public Task<AnswerResult> ReserveAsync(Guid tradeId, CancellationToken ct) => ReserveAsync(tradeId, afterStaleCopy: false, ct);

    private async Task<AnswerResult> ReserveAsync(Guid tradeId, bool afterStaleCopy, CancellationToken ct)
    {
        var trade = await store.GetTradeAsync(tradeId, ct);
        if (trade is null) return AnswerResult.NotFound($"Trade {tradeId} not found.");
        if (trade.Status != TradeStatus.Proposed || !trade.AllAccepted) return AnswerResult.Ok(trade);
        // The terms sent are those of the book copy, which every ListingChanged checks the proposals against as it saves
        // it. Read before the trade is read again, so a copy newer than that check cannot go out with a proposal the
        // check has cancelled meanwhile.
        var terms = await TermsAsync(trade, ct);
        trade = await store.GetTradeAsync(tradeId, ct);
        if (trade is null) return AnswerResult.NotFound($"Trade {tradeId} not found.");
        if (trade.Status != TradeStatus.Proposed || !trade.AllAccepted) return AnswerResult.Ok(trade);
        // Past its grace the expiry sweep cancels it; reserving first would agree it up to a sweep late.
        var now = clock.GetUtcNow();
        if (IsDue(trade, now)) return await CancelAsync(tradeId, ExpiredReason(trade), t => IsDue(t, now), ct);

        using var activity = TradeNetTelemetry.Source.StartActivity("reserve listings", ActivityKind.Client);
        activity?.SetTag(TradeNetTelemetry.TradeId, tradeId.ToString());
        TradeNetTelemetry.LinkTo(activity, trade.TraceParent);
        var request = new ReserveListingsRequest { TradeId = tradeId.ToString() };
        request.Items.AddRange(trade.Holds.GroupBy(h => h.ListingId, StringComparer.Ordinal)
            .Select(g => new ReservationItem { ListingId = g.Key, Quantity = g.Sum(h => h.Quantity), Terms = terms[g.Key] }));
        ReserveListingsReply reply;
        try
        {
            reply = await catalog.ReserveListingsAsync(request, cancellationToken: ct);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("The reservation call was cancelled.", ex, ct);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
                                          or StatusCode.ResourceExhausted or StatusCode.Aborted)
        {
            // Transient: keep the acceptance; a later accept or the background retry asks again.
            logger.LogWarning(ex, "Catalog unavailable while reserving trade {TradeId} ({Status}); will retry", tradeId, ex.StatusCode);
            activity?.SetStatus(ActivityStatusCode.Error, ex.StatusCode.ToString());
            return new AnswerResult(AnswerStatus.CatalogUnavailable, trade, "catalog unavailable, retry");
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.FailedPrecondition
                                          or StatusCode.InvalidArgument or StatusCode.OutOfRange)
        {
            // Catalog says this reservation can never succeed (a listing is gone or the request is impossible): asking again would not help.
            logger.LogWarning(ex, "Catalog cannot reserve trade {TradeId} ({Status}); cancelling it", tradeId, ex.StatusCode);
            return await CancelAsync(tradeId, $"reservation refused: {ex.StatusCode}: {ex.Status.Detail}", _ => true, ct);
        }
        catch (RpcException ex)
        {
            // Auth, internal or unimplemented: a deployment problem an operator must fix; the acceptance is kept meanwhile.
            logger.LogError(ex, "Catalog failed to reserve trade {TradeId} ({Status})", tradeId, ex.StatusCode);
            activity?.SetStatus(ActivityStatusCode.Error, ex.StatusCode.ToString());
            return new AnswerResult(AnswerStatus.CatalogFailed, trade, $"catalog answered {ex.StatusCode}: {ex.Status.Detail}");
        }

        if (reply.Reserved)
        {
            try
            {
                return await AgreeAsync(tradeId, reply.Versions.GroupBy(v => v.ListingId, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Max(v => v.Version), StringComparer.Ordinal), ct);
            }
            catch (Exception ex) when (StorageUnavailable.Is(ex))
            {
                // The acceptances were stored by an earlier write and catalog holds the reservation (idempotent by trade
                // id): a bare 503 "not applied" would be untrue. The reservation retry or the same accept agrees it later.
                logger.LogError(ex, "Catalog reserved trade {TradeId} but storing its agreement failed; the reservation retry agrees it", tradeId);
                return new AnswerResult(AnswerStatus.StoredPartly, trade, AgreementNotStored);
            }
        }
        if (reply.Refusal == ReservationRefusal.TermsChanged)
            return await StaleCopyAsync(trade, terms, reply, afterStaleCopy, ct);
        logger.LogInformation("Catalog refused to reserve trade {TradeId}: {Reason}", tradeId, reply.Reason);
        return await CancelAsync(tradeId, $"reservation refused: {reply.Reason}", _ => true, ct);
    }

    /// <summary>Catalog holds newer terms for a listing than matching's copy, and reserved nothing. The proposal is neither
    /// agreed (its towns did not see those terms) nor cancelled (they may still fit): it keeps its acceptances until the
    /// ListingChanged arrives, whose terms check cancels it if a leg no longer fits; otherwise the next reservation (the
    /// sweep, or an accept sent again) goes out with the new terms. The deadline and reservation grace still end it.</summary>
    private async Task<AnswerResult> StaleCopyAsync(Trade trade, IReadOnlyDictionary<string, string> sent, ReserveListingsReply reply,
        bool afterStaleCopy, CancellationToken ct)
    {
        var changed = string.Join(", ", reply.ChangedListingIds);
        // The change may have been read while catalog answered: once more, now on the copy that check has seen.
        if (!afterStaleCopy && (await TermsAsync(trade, ct)).Any(t => sent[t.Key] != t.Value))
            return await ReserveAsync(trade.Id, afterStaleCopy: true, ct);
        logger.LogInformation("Trade {TradeId} not reserved: catalog holds newer terms of listing {Listings}; re-checked once matching reads them",
            trade.Id, changed);
        return new AnswerResult(AnswerStatus.TermsChanged, trade,
            $"Listing {changed} changed its terms since this trade was proposed, and matching has not read the change yet. " +
            "The trade stays proposed with its acceptances: once the change arrives it is cancelled if a leg no longer fits, " +
            "or reserved and agreed if every leg still does. Nothing needs to be sent again; GET the trade to see the outcome.");
    }

    /// <summary>The terms fingerprint of matching's copy of each listing the trade uses; empty (not checked) for a listing
    /// the book no longer holds open, which its own events cancel the trade for.</summary>
    private async Task<IReadOnlyDictionary<string, string>> TermsAsync(Trade trade, CancellationToken ct)
    {
        var terms = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in trade.ListingIds)
            terms[id] = await store.GetListingAsync(id, ct) is { Withdrawn: false, Listing: { } listing } ? ListingTermsFingerprint.Of(listing) : "";
        return terms;
    }

    private async Task<AnswerResult> AgreeAsync(Guid tradeId, IReadOnlyDictionary<string, long> versions, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            await using var session = await store.BeginAsync(ct);
            var trade = await session.GetTradeAsync(tradeId, ct);
            if (trade is null) return AnswerResult.NotFound($"Trade {tradeId} not found.");
            // Agreed by a racing call already, or cancelled meanwhile (its TradeCancelled releases the reservation).
            if (trade.Status != TradeStatus.Proposed) return AnswerResult.Ok(trade);
            // Agreed when catalog's reservation is recorded here: the last acceptance may have come long before
            // (catalog unreachable, or a listing's terms being re-checked). Whole milliseconds, as both stores keep it,
            // so this answer and every later read agree.
            var at = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
            if (!await TradeWrites.AgreeAsync(session, trade, at, versions, ct)) continue;
            await session.CommitAsync(ct);
            logger.LogInformation("Trade {TradeId} agreed", tradeId);
            return AnswerResult.Ok(TradeWrites.Agreed(trade, at, versions) with { Version = trade.Version + 1 });
        }
        return Busy(tradeId);
    }

    /// <summary>Cancels a proposal if it is still proposed and <paramref name="when"/> holds on the fresh copy.</summary>
    public async Task<AnswerResult> CancelAsync(Guid tradeId, string reason, Func<Trade, bool> when, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            await using var session = await store.BeginAsync(ct);
            var trade = await session.GetTradeAsync(tradeId, ct);
            if (trade is null) return AnswerResult.NotFound($"Trade {tradeId} not found.");
            if (trade.Status != TradeStatus.Proposed || !when(trade)) return AnswerResult.Ok(trade);
            TradeNetTelemetry.LinkTo(Activity.Current, trade.TraceParent);
            var now = clock.GetUtcNow();
            if (!await TradeWrites.CancelAsync(session, trade, reason, now, ct)) continue;
            await session.CommitAsync(ct);
            logger.LogInformation("Trade {TradeId} cancelled: {Reason}", tradeId, reason);
            return AnswerResult.Ok(trade.Cancel(reason, now) with { Version = trade.Version + 1 });
        }
        return Busy(tradeId);
    }

    /// <summary>Proposals cancelled per sweep at most: each is a write of its own.</summary>
    private const int ExpiryBatch = 500;

    /// <summary>Cancels proposals past their deadline. A fully accepted one waiting for catalog gets the
    /// reservation grace first, since its towns did answer in time.</summary>
    public async Task<int> ExpireAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Every proposal past its deadline, then those due: a page of the newest could be all fully accepted ones inside
        // their grace (catalog down longer than the deadline), and older unanswered ones would never be reached.
        var pastDeadline = await store.TradesAsync(new TradeQuery(Status: TradeStatus.Proposed, DeadlineBefore: now, Limit: int.MaxValue), ct);
        var due = pastDeadline.Where(t => IsDue(t, now)).Take(ExpiryBatch);
        var expired = 0;
        foreach (var trade in due)
        {
            // The sweep runs for no one and starts no trace: without a span here the expiry's TradeCancelled would begin a
            // trace of its own with no link to the round (CancelAsync links this span). One span per proposal due, none per idle tick.
            using var activity = TradeNetTelemetry.Source.StartActivity("expire trade");
            activity?.SetTag(TradeNetTelemetry.TradeId, trade.Id.ToString());
            var result = await CancelAsync(trade.Id, ExpiredReason(trade), t => IsDue(t, now), ct);
            activity?.SetTag(TradeNetTelemetry.State, result.Trade?.Status.ToString().ToLowerInvariant());
            if (result.Trade?.Status == TradeStatus.Cancelled) expired++;
        }
        return expired;
    }

    /// <summary>Past its deadline, and past the reservation grace too when every leg was accepted in time.</summary>
    private bool IsDue(Trade trade, DateTimeOffset now) =>
        trade.Deadline < now && (!trade.AllAccepted || trade.Deadline + options.Value.ReservationGrace < now);

    private static string ExpiredReason(Trade trade) => trade.AllAccepted ? "expired: reservation not confirmed by catalog" : "expired";

    /// <summary>Retries the reservation of every fully accepted proposal still waiting for catalog.</summary>
    public async Task<int> RetryReservationsAsync(CancellationToken ct)
    {
        // Every proposed trade: a page of the newest would starve older accepted ones until they expire.
        var pending = await store.TradesAsync(new TradeQuery(Status: TradeStatus.Proposed, Limit: int.MaxValue), ct);
        var retried = 0;
        foreach (var trade in pending.Where(t => t.AllAccepted))
        {
            retried++;
            var result = await ReserveAsync(trade.Id, ct);
            if (result.Status == AnswerStatus.CatalogUnavailable) break; // catalog still down: wait for the next sweep
        }
        return retried;
    }

    internal const string AgreementNotStored = "Every leg's acceptance is stored and catalog reserved the quantities, but matching's " +
        "storage is busy or failing and the agreement was not recorded; the trade stays proposed with its acceptances. " +
        "Matching's reservation retry agrees it, as does the same accept sent again.";

    private static AnswerResult Busy(Guid tradeId) =>
        AnswerResult.Conflict($"Trade {tradeId} kept changing while being updated; try again.");
}
