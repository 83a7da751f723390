using System.Diagnostics;
using Microsoft.Extensions.Options;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Engine;
using TradeNet.Shared.Hosting;
using Engine = TradeNet.Matching.Engine;

namespace TradeNet.Matching.Clearing;

/// <summary>
/// Clears the book with the optimal multi-town engine (<see cref="ClearingEngine"/>): cycles of up to
/// K towns, exact value balance, with an upper bound so the round's quality is checkable. Transport cost
/// from logistics enters the objective when enabled; if logistics cannot answer, the round still runs on
/// distance limits alone and its note says so.
/// </summary>
public sealed class EngineClearing(TransportCosts transport, IOptions<MatchingOptions> options, ILogger<EngineClearing> logger)
    : IClearingStrategy
{
    public const string Name = "engine";
    public const string ProgressTag = "tradenet.solver.progress";

    /// <summary>How many times a round solves again, each time without the needs its self-served trades received (more
    /// while the round's time limit lasts).</summary>
    internal const int MaxResolves = 4;

    public async Task<ClearingOutcome> ClearAsync(OrderBook book, ClearingSettings settings, CancellationToken ct)
    {
        var entries = book.Tradable;
        var byId = entries.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var quote = options.Value.TransportCost
            ? await transport.QuoteAsync(entries, ct)
            : TransportQuote.Disabled;

        using var activity = TradeNetTelemetry.Source.StartActivity("clearing engine solve");
        var solveOptions = new SolveOptions
        {
            MaxCycleLength = settings.MaxCycleLength,
            TimeLimit = options.Value.RoundTimeLimit,
            // A few towns crowding one good must not make tens of millions of legs (memory) in everyone's round.
            MaxLegsPerTownPair = options.Value.MaxLegsPerTownPair,
            TransportCost = quote.CostPerUnit,
            // Goods counted in pieces change hands whole: the engine plans in whole pieces, so value that lowering would
            // have floored away goes to cycles whose steps fit (WholePieces below stays as the safety net).
            WholePieces = true,
            // An engine defect (its plan failing its own check) still clears the round: with the baseline's swaps, said.
            FallBackOnInvalidPlan = true,
            // Column generation rounds, bounds and integer phases: debug lines in the log, events on the span.
            Progress = line =>
            {
                logger.LogDebug("Engine progress: {Progress}", line);
                activity?.AddEvent(new ActivityEvent("solver progress", tags: new ActivityTagsCollection { [ProgressTag] = line }));
            },
        };
        var started = Stopwatch.GetTimestamp();
        var first = await SolveAsync(entries, settings, solveOptions, byId, quote, ct);
        var result = first.Result;
        activity?.SetTag("tradenet.solver.method", result.Stats.Method);
        activity?.SetTag("tradenet.solver.objective", result.Objective);
        activity?.SetTag("tradenet.solver.bound", result.Bound);
        activity?.SetTag("tradenet.solver.gap", result.Gap);
        activity?.SetTag("tradenet.solver.status", result.Status.ToString());

        // The engine's objective counts every leg, so it may find walnuts swapped for walnuts worth more than what the
        // same listings could do otherwise; such trades are dropped (SelfServed), and a round of nothing else would
        // propose nothing. So the round solves again without the need each dropped trade's served town received on — its
        // offer stays free to go elsewhere, as the rule allows — and keeps the better plan. (Rare on real books: towns
        // seldom list a need their own offer serves.)
        var (best, last, resolves) = (first, first, 0);
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        var limit = options.Value.RoundTimeLimit;
        while (last.ServedNeeds.Count > 0 && resolves < MaxResolves && !ct.IsCancellationRequested
               && (resolves == 0 || Stopwatch.GetElapsedTime(started) < limit))
        {
            blocked.UnionWith(last.ServedNeeds);
            resolves++;
            // What is left of the round's limit, and at least a tenth of it: a round that solved for its whole limit
            // still gets one short second look, not another full one.
            var again = solveOptions with { TimeLimit = Max(limit - Stopwatch.GetElapsedTime(started), limit / 10) };
            last = await SolveAsync(entries.Where(e => !blocked.Contains(e.Id)).ToList(), settings, again, byId, quote, ct);
            logger.LogInformation("Solved again without {Blocked} needs that self-served trades received: {Trades} trades, objective {Objective:F1}",
                blocked.Count, last.Trades.Count, last.Objective);
            if (last.Objective > best.Objective + 1e-9) best = last;
        }
        activity?.SetTag("tradenet.solver.self_served.resolves", resolves);

        var trades = best.Trades;
        var (objective, gap, status, cycleLengths) = (result.Objective, result.Gap, result.Status.ToString().ToLowerInvariant(),
            result.Stats.CycleLengths.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value));
        if (!ReferenceEquals(best, first) || first.Lowered + first.Dropped + first.SelfServed + best.Moving > 0)
        {
            // The first solve's bound is of the whole book without whole pieces or self-served towns, which can only do
            // as well: it still bounds this plan.
            objective = best.Objective;
            gap = result.Bound > 0 ? Math.Max(0, (result.Bound - objective) / result.Bound) : 0;
            status = gap <= 1e-6 ? "optimal" : "feasible";
            cycleLengths = trades.GroupBy(t => t.Legs.Count).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(), g => g.Count());
            logger.LogInformation("Whole pieces: {Lowered} trades lowered, {Dropped} dropped; {SelfServed} dropped where a town would serve its own need, {Resolves} solve(s) again; {Moving} dropped fitting a moving town's old position only; objective {Objective:F1}, gap {Gap:P2}",
                best.Lowered, best.Dropped, first.SelfServed, resolves, best.Moving, objective, gap);
        }
        activity?.SetTag("tradenet.solver.whole_pieces.lowered", best.Lowered);
        activity?.SetTag("tradenet.solver.whole_pieces.dropped", best.Dropped);
        activity?.SetTag("tradenet.solver.self_served.dropped", first.SelfServed);
        activity?.SetTag("tradenet.solver.moving_towns.dropped", best.Moving);
        // The bound still counts the dropped trades, so a gap that is only theirs would read as a weak solve.
        var notes = new[] { quote.Note,
            result.Stats.InvalidPlan is { } broken
                ? $"The engine's plan failed its self-check ({broken}): this round proposes the bilateral baseline's two-town swaps instead."
                : null,
            first.SelfServed == 0 ? null
                : $"{first.SelfServed} trade(s) dropped in which a town would serve its own need; the bound still counts them. " +
                  $"Solved again {resolves} time(s) without the {blocked.Count} need(s) they served" +
                  (ReferenceEquals(best, first) ? ", which found no better plan." : $": {best.Trades.Count} trade(s) proposed from that solve."),
            best.Moving == 0 ? null
                : $"{best.Moving} trade(s) dropped whose leg fits from a town's old position only (its listings disagree on where " +
                  "it is while its move reaches the book); the bound still counts them." }
            .OfType<string>().ToList();
        var note = notes.Count == 0 ? null : string.Join(' ', notes);
        var quality = new RoundQuality(result.Bound, gap, status, result.Stats.Edges, cycleLengths, result.Stats.Method, best.TransportCost, note);
        var stats = new ClearingStats(Name, entries.Count, entries.Count(e => e.Kind == ListingKind.Offer),
            entries.Count(e => e.Kind == ListingKind.Need), result.Stats.Edges, result.Stats.Columns, result.Bound, quality);
        return new ClearingOutcome(trades, objective, stats);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>One solve of <paramref name="entries"/> and the trades the round may propose from it: whole (a safety net
    /// that finds nothing on the engine's whole plans) and with no town serving its own need; the needs those dropped
    /// for that received (one per trade: its first served town's); their value moved less transport.</summary>
    private sealed record Attempt(ClearingResult Result, IReadOnlyList<ClearedTrade> Trades, int Lowered, int Dropped, int SelfServed,
        IReadOnlyList<string> ServedNeeds, double TransportCost, double Objective, int Moving);

    private async Task<Attempt> SolveAsync(IReadOnlyList<BookEntry> entries, ClearingSettings settings, SolveOptions solveOptions,
        IReadOnlyDictionary<string, BookEntry> byId, TransportQuote quote, CancellationToken ct)
    {
        var result = await Task.Run(() => ClearingEngine.Solve(ToBook(entries, settings), solveOptions, ct), ct);
        if (result.Stats.InvalidPlan is { } invalid)
        {
            Activity.Current?.SetTag("tradenet.solver.invalid_plan", invalid);
            logger.LogError("Engine plan failed its self-check ({Rule}): the round proposes the bilateral baseline's swaps instead. This is an engine defect; please report it with the book",
                invalid);
        }
        logger.LogInformation("Engine cleared {Listings} listings, {Edges} edges: {Trades} trades, objective {Objective:F1}, bound {Bound:F1}, gap {Gap:P2} ({Status}, {Method}, {Seconds:F2}s)",
            result.Stats.Listings, result.Stats.Edges, result.Stats.Trades, result.Objective, result.Bound, result.Gap,
            result.Status, result.Stats.Method, result.Stats.Seconds);
        var cleared = result.Trades.Select(t => new ClearedTrade(t.Legs.Select(l => new ClearedLeg(
            l.From, l.To, l.Offer, l.Need, l.Category, l.Quantity, l.Value, l.Quantity * byId[l.Offer].WeightPerUnit)).ToList())).ToList();
        var (whole, lowered, dropped) = WholePieces.Apply(cleared, byId);
        var (notSelfServed, selfServed) = SelfServed.Apply(whole, byId);
        // The engine judged distances from one point per town; each leg is checked again from its own listings' points.
        var (trades, moving) = MovingTowns.Apply(notSelfServed, byId, settings.DetourFactor);
        var servedNeeds = whole.Select(t => SelfServed.ServedNeed(t, byId)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var transportCost = quote.CostPerUnit is null ? 0 : trades.SelectMany(t => t.Legs)
            .Sum(l => l.Quantity * quote.CostPerUnit(l.FromTown, l.ToTown, l.Category));
        var objective = lowered + dropped + selfServed + moving == 0 ? result.Objective : trades.Sum(t => t.Legs.Count * t.Value) - transportCost;
        return new Attempt(result, trades, lowered, dropped, selfServed, servedNeeds, transportCost, objective, moving);
    }

    /// <summary>The service's book in the engine's terms: towns and categories as the listings carry them.</summary>
    public static Book ToBook(IReadOnlyList<BookEntry> entries, ClearingSettings settings)
    {
        var towns = entries.GroupBy(e => e.TownId, StringComparer.Ordinal)
            .Select(g => new Engine.Town(g.Key, g.Key, g.First().Lat, g.First().Lon)).ToList();
        var categories = entries.GroupBy(e => e.Category, StringComparer.Ordinal)
            .Select(g => new Category(g.Key, g.First().Unit, g.First().ValuePerUnit)).ToList();
        var listings = entries.Select(e => new Listing(e.Id, e.TownId,
            e.Kind == ListingKind.Offer ? Engine.ListingKind.Offer : Engine.ListingKind.Need, e.Category, e.Available,
            // Catalog refuses lots under 0.001; a vanishing one stored before that is no minimum (the engine refuses denormal lots).
            e.MinLot >= 1e-9 ? e.MinLot : 0,
            e.Attributes, e.Requires, e.MaxDistanceKm, e.AvailableFrom, e.AvailableUntil)).ToList();
        return new Book(categories, towns, listings, new Settings(settings.MaxCycleLength, settings.DetourFactor));
    }
}
