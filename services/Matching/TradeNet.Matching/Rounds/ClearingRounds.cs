using System.Diagnostics;
using Microsoft.Extensions.Options;
using TradeNet.Contracts;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Trades;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Rounds;

/// <summary>Runs a clearing round: builds the book (open listings minus what pending proposals hold),
/// asks the strategy for trades, and stores the round, the proposals and their TradeProposed events
/// in one write.</summary>
public sealed class ClearingRounds(
    IMatchingStore store, IClearingStrategy strategy, IOptions<MatchingOptions> options, TimeProvider clock, ILogger<ClearingRounds> logger)
{
    // One round at a time, so two rounds never hand out the same quantities: a gate in this process, and a lease in
    // the store across the instances that share it.
    private readonly SemaphoreSlim _gate = new(1, 1);
    public const string LeaseName = "clearing-round";

    /// <summary>The round span's bound and gap: as the round records them, which are not the engine solve's own
    /// (<c>tradenet.solver.*</c>, its first solve) once trades were dropped or solved again.</summary>
    public const string BoundTag = "tradenet.bound", GapTag = "tradenet.gap";

    /// <summary>The round span's count of its proposals that its own write cancelled at once (a listing withdrawn, lowered,
    /// changed or ended while it solved): the record still counts them, as proposed and announced.</summary>
    public const string CancelledTag = "tradenet.trades.cancelled";
    private static readonly TimeSpan LeasePoll = TimeSpan.FromMilliseconds(200);
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <param name="waiting">Cancels only the wait for the round's turn (<see cref="RunAsync(string, Func{ClearingRound?, bool}?, CancellationToken, CancellationToken)"/>).</param>
    public async Task<ClearingRound> RunAsync(string trigger, CancellationToken ct, CancellationToken waiting = default) =>
        (await RunAsync(trigger, stillDue: null, ct, waiting))!;

    /// <summary>Runs a round unless <paramref name="stillDue"/>, asked once the lease is this instance's, says the latest
    /// round (of any instance) makes it unnecessary: then null. A scheduled tick that waited out another replica's round
    /// would otherwise clear again right after it, since it judged itself due before that round was stored.</summary>
    /// <param name="ct">Cancels the round however far it got (the host stopping).</param>
    /// <param name="waiting">Cancels only the wait for the gate and the lease: an operator's request abandoned before its
    /// round started starts none; one abandoned after (the gateway's wait ran out, a terminal closed) lets it finish and be
    /// recorded, as the gateway's 504 tells the operator to read back, instead of throwing away what it solved.</param>
    public async Task<ClearingRound?> RunAsync(string trigger, Func<ClearingRound?, bool>? stillDue, CancellationToken ct,
        CancellationToken waiting = default)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, waiting);
        // This instance's own round is waited for as another instance's is (TakeLeaseAsync): about one lease, then the
        // caller is told it runs. Waited for without end, an operator's round asked during a scheduled one waited out both.
        if (!await _gate.WaitAsync(LeaseLength + LeasePoll, wait.Token)) throw new ClearingBusyException(thisInstance: true);
        try
        {
            await TakeLeaseAsync(wait.Token);
            using var renewal = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var renewing = RenewLeaseAsync(renewal.Token);
            try
            {
                if (stillDue is not null && !stillDue((await store.RoundsAsync(1, ct)).FirstOrDefault())) return null;
                return await RunTracedAsync(trigger, ct);
            }
            finally
            {
                await renewal.CancelAsync();
                await renewing;
                await ReleaseLeaseAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Gives the lease back, or leaves it to run out: a round that committed is done, and a store failing here
    /// (busy, full) must not turn its answer into an error the caller retries with a second round (nor hide the round's
    /// own error). Another instance waits at most one lease.</summary>
    private async Task ReleaseLeaseAsync()
    {
        try
        {
            await store.ReleaseLeaseAsync(LeaseName, _holder, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Clearing round could not give its lease back; it runs out within {Lease}", LeaseLength);
        }
    }

    /// <summary>The round renews its lease every third of this, so it only runs out on its own when its holder died
    /// or stalled mid-round; short, so that a holder killed mid-round holds up the others' rounds seconds, not minutes.</summary>
    private TimeSpan LeaseLength => options.Value.RoundLease > TimeSpan.FromSeconds(1) ? options.Value.RoundLease : TimeSpan.FromSeconds(1);

    /// <summary>Waits while another instance's round holds the lease, at most about one lease: a live holder's round is
    /// then still running, and the caller is told so (<see cref="ClearingBusyException"/>) rather than kept waiting.</summary>
    private async Task TakeLeaseAsync(CancellationToken ct)
    {
        var logged = false;
        var giveUp = clock.GetUtcNow() + LeaseLength + LeasePoll;
        while (true)
        {
            var now = clock.GetUtcNow();
            if (await store.TryTakeLeaseAsync(LeaseName, _holder, now, now + LeaseLength, ct)) return;
            if (now >= giveUp) throw new ClearingBusyException();
            if (!logged) logger.LogInformation("Clearing round waits: another matching instance holds the clearing lease (running a round, or it stopped mid-round and the lease has not run out)");
            logged = true;
            await Task.Delay(LeasePoll, ct);
        }
    }

    /// <summary>Extends the round's lease; false once another instance took it, which may have run a round since (even one
    /// that gave the lease back), and then this round's trades may hold quantities twice. A lease that ran out (a stall, a
    /// clock stepped forward) while nobody took it is extended: no other round can have run meanwhile.</summary>
    private Task<bool> ExtendLeaseAsync(CancellationToken ct) =>
        store.TryExtendLeaseAsync(LeaseName, _holder, clock.GetUtcNow() + LeaseLength, ct);

    /// <summary>Renews the lease every third of its length while the round runs (a slow book, a slow solve); a store
    /// error is tried again at the next renewal. The check before the round's write is what counts.</summary>
    private async Task RenewLeaseAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(LeaseLength / 3, clock, ct);
                try
                {
                    if (await ExtendLeaseAsync(ct)) continue;
                    logger.LogWarning("Clearing round lost its lease (it ran out and another matching instance took it, and may have cleared meanwhile); it will propose nothing");
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Clearing round could not renew its lease; it tries again in {Interval}", LeaseLength / 3);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The round ended.
        }
    }

    /// <summary>Runs the round under its span, which an operator finds by its status: a round that failed says so, with the
    /// reason. Not a round another instance took over (it ran as it should and gave way) nor one the host stopped.</summary>
    private async Task<ClearingRound> RunTracedAsync(string trigger, CancellationToken ct)
    {
        using var activity = TradeNetTelemetry.Source.StartActivity("clearing round");
        try
        {
            return await RunLockedAsync(activity, trigger, ct);
        }
        catch (Exception ex) when (ex is not ClearingTakenOverException && !(ex is OperationCanceledException && ct.IsCancellationRequested))
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.AddException(ex);
            throw;
        }
    }

    private async Task<ClearingRound> RunLockedAsync(Activity? activity, string trigger, CancellationToken ct)
    {
        var roundId = Guid.NewGuid();
        activity?.SetTag(TradeNetTelemetry.RoundId, roundId.ToString());
        var startedAt = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        await LinkToReturnedTradesAsync(activity, ct);

        var book = await LoadBookAsync(ct);
        // The listings the round could trade, as the engine counts them: one whose available quantity is below its own min
        // lot (or a crumb) can carry no leg and is no part of the round's book (README, "Clearing").
        var listings = book.Tradable.Count;
        ClearingOutcome outcome;
        using (var solve = TradeNetTelemetry.Source.StartActivity("clearing solve"))
        {
            solve?.SetTag("tradenet.listings", listings);
            outcome = await strategy.ClearAsync(book, new ClearingSettings(options.Value.DetourFactor, options.Value.MaxCycleLength), ct);
            solve?.SetTag("tradenet.strategy", outcome.Stats.Strategy);
        }
        NativeHeap.ReturnFreed(); // the solvers' native memory, freed but kept by glibc otherwise
        var entries = book.Entries.ToDictionary(e => e.Id, StringComparer.Ordinal);
        // In whole milliseconds, as MongoDB keeps a date and as windows' ends already are: the deadline TradeProposed
        // announces is then the one the store holds, not one a sub-millisecond later than the sweep and the accepts use.
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds((startedAt + options.Value.ProposalTtl).ToUnixTimeMilliseconds());
        var trades = outcome.Trades.Select(t => ToProposal(t, roundId, entries, startedAt, deadline)).ToList();

        watch.Stop();
        var round = new ClearingRound(roundId, startedAt, watch.ElapsedMilliseconds, listings, trades.Count,
            outcome.Objective, "completed", trigger, trades.Select(t => t.Id).ToList(), outcome.Stats.Strategy,
            outcome.Stats.CandidateLegs, outcome.Stats.CandidateCycles, outcome.Stats.UpperBound, outcome.Stats.Quality);

        // A write that lost a race with a listing consumer (MongoDB) is tried again on what that consumer committed.
        int cancelled;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                cancelled = await WriteAsync(round, trades, entries, ct);
                break;
            }
            catch (TradeChangedException ex) when (attempt < MaxWriteAttempts)
            {
                logger.LogInformation("Clearing round {RoundId}: its write lost a race ({Reason}); trying again", roundId, ex.Message);
            }
        }

        activity?.SetTag("tradenet.trades", trades.Count);
        activity?.SetTag(CancelledTag, cancelled);
        activity?.SetTag("tradenet.objective", outcome.Objective);
        activity?.SetTag(BoundTag, outcome.Stats.UpperBound); // null (no tag) for a strategy that proves none
        activity?.SetTag(GapTag, outcome.Stats.Quality?.Gap);
        RecordMetrics(round, outcome.Stats.UpperBound);
        // The record counts every proposal the round made; those its write cancelled at once are told apart here, or an
        // operator reading "12 trades" looks for pending proposals that are gone.
        if (cancelled == 0)
            logger.LogInformation("Clearing round {RoundId} ({Trigger}): {Listings} listings, {Trades} trades, objective {Objective}",
                roundId, trigger, round.Listings, round.Trades, round.Objective);
        else
            logger.LogInformation("Clearing round {RoundId} ({Trigger}): {Listings} listings, {Trades} trades, objective {Objective}; " +
                "{Cancelled} of them cancelled in its write: a listing they use was withdrawn, lowered, changed or ended while it solved",
                roundId, trigger, round.Listings, round.Trades, round.Objective, cancelled);
        return round;
    }

    private const int MaxWriteAttempts = 3;

    /// <summary>The round's one write: the proposals, checked against the listings as the write reads them, and the round.</summary>
    /// <returns>How many of its proposals the write cancelled at once.</returns>
    private async Task<int> WriteAsync(ClearingRound round, List<Trade> trades, IReadOnlyDictionary<string, BookEntry> entries, CancellationToken ct)
    {
        var roundId = round.Id;
        await using var session = await store.BeginAsync(ct);
        // Another instance that found the lease run out may have cleared the same quantities meanwhile: then this
        // round's trades are stale. Extended inside the write, the lease is this instance's until the commit, so no
        // pause before it can let another round hand out the same quantities.
        var now = clock.GetUtcNow();
        if (!await session.ExtendLeaseAsync(LeaseName, _holder, now + LeaseLength, ct)) throw new ClearingTakenOverException();
        // A withdrawal or a lower quantity consumed while the strategy ran cancelled only the proposals stored before it.
        // The listings proposed on are guarded: a listing consumer committing after this write's snapshot cannot see the
        // new proposals (not yet committed) and this write reads its listing as it was, so each would keep a proposal the
        // change rules out. Guarded, one of the two fails and is tried again on the other's state (MongoDB; SQLite serialises).
        await session.GuardListingsAsync(trades.SelectMany(t => t.ListingIds).Distinct(StringComparer.Ordinal).ToList(), ct);
        var current = await CurrentListingsAsync(session, trades, ct);
        var withdrawn = current.Values.Where(l => l.Withdrawn).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var cancelled = new HashSet<Guid>();
        foreach (var trade in trades)
        {
            await session.InsertTradeAsync(trade, ct);
            session.Publish(new TradeProposed(trade.Id, roundId, trade.ContractLegs, trade.Deadline));
            if (trade.ListingIds.FirstOrDefault(withdrawn.Contains) is { } listing)
            {
                await TradeWrites.CancelAsync(session, trade, $"listing {listing} withdrawn", now, ct);
                cancelled.Add(trade.Id);
            }
            // A leg's window that ended while the strategy ran made a proposal born past its deadline: no town can answer
            // it, and it held the others' quantities until the next expiry sweep. (A round longer than ProposalTtl itself,
            // a misconfiguration, is left to that sweep: its proposals expire as any other.)
            else if (trade.Deadline < now && EndedWhileSolving(trade, entries) is { } ended)
            {
                await TradeWrites.CancelAsync(session, trade,
                    $"expired: listing {ended} available until {trade.Deadline:O}, which passed while the round solved", now, ct);
                cancelled.Add(trade.Id);
            }
        }
        // The round's proposals are the newest on a listing, so they are the ones that give way.
        var changed = current.Values.Where(l => !l.Withdrawn && l.Version != entries[l.Id].Version).ToList();
        if (await OverheldListings.CancelWhatNoLongerFitsAsync(session, changed, options.Value.DetourFactor, now, ct) > 0)
        {
            // Which of them were this round's (the count is the log's and the span's): read back, as the check may also
            // have cancelled an older proposal.
            var changedIds = changed.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var trade in trades.Where(t => !cancelled.Contains(t.Id) && t.ListingIds.Any(changedIds.Contains)))
                if (await session.GetTradeAsync(trade.Id, ct) is { Status: TradeStatus.Cancelled })
                    cancelled.Add(trade.Id);
        }
        await session.InsertRoundAsync(round, ct);
        await session.CommitAsync(ct);
        return cancelled.Count;
    }

    /// <summary>The listing whose window's end is the proposal's deadline (the first leg's window to end), or null when the
    /// deadline is the round's own (<c>ProposalTtl</c>). The reason names it after "expired", as the proposals metric reads it.</summary>
    private static string? EndedWhileSolving(Trade trade, IReadOnlyDictionary<string, BookEntry> entries) =>
        trade.ListingIds.Select(id => entries[id]).Where(e => e.AvailableUntil == trade.Deadline).Select(e => e.Id).FirstOrDefault();

    private static void RecordMetrics(ClearingRound round, double? upperBound)
    {
        var strategy = new KeyValuePair<string, object?>("tradenet.strategy", round.Strategy);
        TradeNetTelemetry.ClearingDuration.Record(round.DurationMs / 1000.0, strategy);
        TradeNetTelemetry.ClearingObjective.Record(round.Objective, strategy);
        // Only strategies that prove a bound report a gap; a heuristic's silence is not a gap of zero.
        if (upperBound is > 0)
            TradeNetTelemetry.ClearingGap.Record(Math.Max(0, (upperBound.Value - round.Objective) / upperBound.Value), strategy);
    }

    /// <summary>The previous round's trades that were cancelled gave their quantities back to this round's book:
    /// the round's span links to each one's trace, so a trade's history continues into its re-match.</summary>
    private async Task LinkToReturnedTradesAsync(Activity? activity, CancellationToken ct)
    {
        if (activity is null) return;
        var previous = (await store.RoundsAsync(1, ct)).FirstOrDefault();
        foreach (var id in previous?.TradeIds.Take(64) ?? [])
            if (await store.GetTradeAsync(id, ct) is { Status: TradeStatus.Cancelled } cancelled)
                TradeNetTelemetry.LinkTo(activity, cancelled.TraceParent);
    }

    /// <summary>The round's listings as the book holds them now, read at once, in the order of the trades that use them
    /// (the order the changed ones are checked in).</summary>
    private static async Task<Dictionary<string, BookListing>> CurrentListingsAsync(IMatchingSession session, List<Trade> trades, CancellationToken ct)
    {
        var ids = trades.SelectMany(t => t.ListingIds).Distinct(StringComparer.Ordinal).ToList();
        var found = await session.GetListingsAsync(ids, ct);
        var current = new Dictionary<string, BookListing>(StringComparer.Ordinal);
        foreach (var id in ids)
            if (found.TryGetValue(id, out var listing))
                current[id] = listing;
        return current;
    }

    /// <summary>The open listings minus the quantities that trades hold (<see cref="BookHolds"/>).</summary>
    public async Task<OrderBook> LoadBookAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (listings, held) = await BookHolds.ReadAsync(store, now, ct);
        return OrderBook.From(listings, held, now);
    }

    /// <summary>What proposals hold on each listing.</summary>
    public static IReadOnlyDictionary<string, double> Held(IEnumerable<Trade> pending) =>
        pending.SelectMany(t => t.Holds)
            .GroupBy(h => h.ListingId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(h => h.Quantity), StringComparer.Ordinal);

    private static Trade ToProposal(ClearedTrade cleared, Guid roundId, IReadOnlyDictionary<string, BookEntry> entries,
        DateTimeOffset now, DateTimeOffset deadline)
    {
        var legs = cleared.Legs.Select((l, i) =>
        {
            var offer = entries[l.OfferId];
            var need = entries[l.NeedId];
            var leg = new TradeLeg(i, l.FromTown, l.ToTown, l.OfferId, l.NeedId, l.Category, l.Quantity, l.Value, l.WeightKg,
                new TradePoint(offer.Lat, offer.Lon), new TradePoint(need.Lat, need.Lon),
                Fit.Max(offer.AvailableFrom, need.AvailableFrom), Fit.Min(offer.AvailableUntil, need.AvailableUntil));
            return new TradeLegState(leg, OfferVersion: offer.Version, NeedVersion: need.Version);
        }).ToList();
        // Goods that stop being available cannot be agreed on afterwards: the proposal ends when its first leg's window does.
        var windowEnds = legs.Select(l => l.Leg.AvailableUntil).Where(u => u is not null).Select(u => u!.Value).DefaultIfEmpty(deadline).Min();
        return new Trade(Guid.NewGuid(), roundId, TradeStatus.Proposed, legs, windowEnds < deadline ? windowEnds : deadline, now,
            TraceParent: Activity.Current?.Id);
    }
}
