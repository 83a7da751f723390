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
        var result = await Task.Run(() => ClearingEngine.Solve(ToBook(entries, settings), solveOptions, ct), ct);
        activity?.SetTag("tradenet.solver.method", result.Stats.Method);
        activity?.SetTag("tradenet.solver.objective", result.Objective);
        activity?.SetTag("tradenet.solver.bound", result.Bound);
        activity?.SetTag("tradenet.solver.gap", result.Gap);
        activity?.SetTag("tradenet.solver.status", result.Status.ToString());
        if (result.Stats.InvalidPlan is { } invalid)
        {
            activity?.SetTag("tradenet.solver.invalid_plan", invalid);
            logger.LogError("Engine plan failed its self-check ({Rule}): the round proposes the bilateral baseline's swaps instead. This is an engine defect; please report it with the book",
                invalid);
        }
        logger.LogInformation("Engine cleared {Listings} listings, {Edges} edges: {Trades} trades, objective {Objective:F1}, bound {Bound:F1}, gap {Gap:P2} ({Status}, {Method}, {Seconds:F2}s)",
            result.Stats.Listings, result.Stats.Edges, result.Stats.Trades, result.Objective, result.Bound, result.Gap,
            result.Status, result.Stats.Method, result.Stats.Seconds);

        var cleared = result.Trades.Select(t => new ClearedTrade(t.Legs.Select(l => new ClearedLeg(
            l.From, l.To, l.Offer, l.Need, l.Category, l.Quantity, l.Value, l.Quantity * byId[l.Offer].WeightPerUnit)).ToList())).ToList();
        // A safety net: the engine's plan is already whole, so this lowers and drops nothing (the log and span would say).
        var (whole, lowered, dropped) = WholePieces.Apply(cleared, byId);
        var (trades, selfServed) = SelfServed.Apply(whole, byId);
        var transportCost = quote.CostPerUnit is null ? 0 : trades.SelectMany(t => t.Legs)
            .Sum(l => l.Quantity * quote.CostPerUnit(l.FromTown, l.ToTown, l.Category));
        var (objective, gap, status, cycleLengths) = (result.Objective, result.Gap, result.Status.ToString().ToLowerInvariant(),
            result.Stats.CycleLengths.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value));
        if (lowered + dropped + selfServed > 0)
        {
            // The engine's bound is of the problem without whole pieces or self-served towns, which can only do as well:
            // it still bounds this plan.
            objective = trades.Sum(t => t.Legs.Count * t.Value) - transportCost;
            gap = result.Bound > 0 ? Math.Max(0, (result.Bound - objective) / result.Bound) : 0;
            status = gap <= 1e-6 ? "optimal" : "feasible";
            cycleLengths = trades.GroupBy(t => t.Legs.Count).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(), g => g.Count());
            logger.LogInformation("Whole pieces: {Lowered} trades lowered, {Dropped} dropped; {SelfServed} dropped where a town would serve its own need; objective {Objective:F1}, gap {Gap:P2}",
                lowered, dropped, selfServed, objective, gap);
        }
        activity?.SetTag("tradenet.solver.whole_pieces.lowered", lowered);
        activity?.SetTag("tradenet.solver.whole_pieces.dropped", dropped);
        activity?.SetTag("tradenet.solver.self_served.dropped", selfServed);
        // The bound still counts the dropped trades, so a gap that is only theirs would read as a weak solve.
        var notes = new[] { quote.Note,
            result.Stats.InvalidPlan is { } broken
                ? $"The engine's plan failed its self-check ({broken}): this round proposes the bilateral baseline's two-town swaps instead."
                : null,
            selfServed == 0 ? null : $"{selfServed} trade(s) dropped in which a town would serve its own need; the bound still counts them." }
            .OfType<string>().ToList();
        var note = notes.Count == 0 ? null : string.Join(' ', notes);
        var quality = new RoundQuality(result.Bound, gap, status, result.Stats.Edges, cycleLengths, result.Stats.Method, transportCost, note);
        var stats = new ClearingStats(Name, entries.Count, entries.Count(e => e.Kind == ListingKind.Offer),
            entries.Count(e => e.Kind == ListingKind.Need), result.Stats.Edges, result.Stats.Columns, result.Bound, quality);
        return new ClearingOutcome(trades, objective, stats);
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
