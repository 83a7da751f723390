using Grpc.Core;
using Microsoft.Extensions.Options;
using TradeNet.Contracts.Grpc;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Clearing;

/// <summary>Per-unit transport costs for a round, or why there are none.</summary>
public sealed record TransportQuote(TransportCostPerUnit? CostPerUnit, string? Note)
{
    public static TransportQuote Disabled { get; } = new(null, null);
}

/// <summary>
/// Asks logistics, in batched gRPC calls under one deadline, what a trip costs between every pair of towns
/// that could trade. A leg pays its weight's share of a trip carrying the reference load, so the cost is
/// linear in quantity and the engine's relaxation stays an LP. Weightless goods (hours, kWh) cost nothing.
/// </summary>
public sealed class TransportCosts(Logistics.LogisticsClient logistics, IOptions<MatchingOptions> options, ILogger<TransportCosts> logger)
{
    /// <summary>Town pairs per call. Logistics takes at most 100,000 in one (InvalidArgument past it), and a gRPC client
    /// takes answers of at most 4 MB by default: 100,000 estimates with catalog's town ids are 6.7 MB. A network of a few
    /// hundred towns sharing goods passes both, and asked in one call its every round ran without transport cost. Ten
    /// thousand keep a call's request and answer under 2 MB even with town ids of 64 characters.</summary>
    internal const int PairsPerCall = 10_000;

    /// <summary>For the whole quote, every call of it: a slow logistics delays the round by this at most.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public async Task<TransportQuote> QuoteAsync(IReadOnlyList<BookEntry> entries, CancellationToken ct)
    {
        var offersByCategory = entries.Where(e => e.Kind == ListingKind.Offer).ToLookup(e => e.Category, StringComparer.Ordinal);
        var pairs = new Dictionary<(string From, string To), (BookEntry From, BookEntry To)>();
        foreach (var need in entries.Where(e => e.Kind == ListingKind.Need))
            foreach (var offer in offersByCategory[need.Category])
                if (offer.TownId != need.TownId) pairs.TryAdd((offer.TownId, need.TownId), (offer, need));
        if (pairs.Count == 0) return new TransportQuote((_, _, _) => 0, null);

        var load = options.Value.ReferenceLoadKg;
        var deadline = DateTime.UtcNow + Deadline;
        var tripCost = new Dictionary<(string, string), double>(pairs.Count);
        try
        {
            foreach (var batch in pairs.Values.Chunk(PairsPerCall))
            {
                var request = new EstimateTransportRequest();
                foreach (var (from, to) in batch)
                    request.Pairs.Add(new TransportPair
                    {
                        From = new TownPoint { TownId = from.TownId, Lat = from.Lat, Lon = from.Lon },
                        To = new TownPoint { TownId = to.TownId, Lat = to.Lat, Lon = to.Lon },
                        WeightKg = load,
                    });
                var reply = await logistics.EstimateTransportAsync(request, deadline: deadline, cancellationToken: ct);
                if (Unusable(request, reply) is { } problem) return Unused(problem);
                foreach (var e in reply.Estimates) tripCost[(e.FromTownId, e.ToTownId)] = e.Cost;
            }
        }
        catch (RpcException ex)
        {
            logger.LogWarning("Logistics could not estimate transport ({Status}); the round runs on distance limits alone", ex.StatusCode);
            return DistanceLimitsOnly($"logistics answered {ex.StatusCode}");
        }
        var weightPerUnit = entries.GroupBy(e => e.Category, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().WeightPerUnit, StringComparer.Ordinal);
        // A finite trip cost can still share out past any number: cost × kg per unit overflows before the division by the
        // load (1e307 a trip, 250 kg a unit), and the engine refuses an infinite cost (the round failed, 500). The same
        // product as below, with the heaviest goods: if it is finite, so is every leg's.
        var heaviest = weightPerUnit.Values.DefaultIfEmpty(0).Max();
        foreach (var ((from, to), cost) in tripCost)
            if (!double.IsFinite(cost * heaviest / load))
                return Unused($"{from} to {to} costs {cost.ToString(System.Globalization.CultureInfo.InvariantCulture)} a trip, past any number per unit");
        return new TransportQuote((from, to, category) =>
            tripCost.TryGetValue((from, to), out var cost) ? cost * weightPerUnit.GetValueOrDefault(category) / load : 0, null);
    }

    private TransportQuote Unused(string problem)
    {
        logger.LogWarning("Logistics' transport estimates are unusable ({Problem}); the round runs on distance limits alone", problem);
        return DistanceLimitsOnly($"logistics' estimates were unusable ({problem})");
    }

    /// <summary>No transport cost for this round, and the note the round record carries saying why.</summary>
    private static TransportQuote DistanceLimitsOnly(string why) =>
        new(null, $"transport cost not included: {why}; the round ran on distance limits alone");

    /// <summary>Why an answer cannot price the pairs asked, or null: every pair answered once, at a cost finite and at least
    /// 0. The engine refuses any other cost (the round failed, 500), a pair answered twice failed it too, and a pair left
    /// out would be priced at nothing while the round's record claimed transport cost. Such an answer is a defect of
    /// logistics, so none of it is trusted: the round runs as when logistics is down, and says why.</summary>
    private static string? Unusable(EstimateTransportRequest request, EstimateTransportReply reply)
    {
        var asked = request.Pairs.Select(p => (p.From.TownId, p.To.TownId)).ToHashSet();
        var answered = new HashSet<(string, string)>();
        foreach (var e in reply.Estimates)
        {
            if (!asked.Contains((e.FromTownId, e.ToTownId))) return $"{e.FromTownId} to {e.ToTownId} answered but not asked";
            if (!answered.Add((e.FromTownId, e.ToTownId))) return $"{e.FromTownId} to {e.ToTownId} answered twice";
            if (!double.IsFinite(e.Cost) || e.Cost < 0)
                return $"{e.FromTownId} to {e.ToTownId} costs {e.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        }
        return answered.Count < asked.Count ? $"{asked.Count - answered.Count} of {asked.Count} town pairs unanswered" : null;
    }
}
