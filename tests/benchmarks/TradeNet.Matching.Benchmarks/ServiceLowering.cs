using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Benchmarks;

/// <summary>
/// What the matching service does to a continuous plan (services/Matching/TradeNet.Matching/Clearing/WholePieces.cs):
/// each trade's value lowered to the largest multiple of its piece legs' step, and a trade lowered to nothing or below a
/// leg's min lot dropped. Here to compare it with the engine's own whole pieces on the same book.
/// </summary>
public static class ServiceLowering
{
    public sealed record Outcome(IReadOnlyList<Trade> Trades, double Objective, int Lowered, int Dropped);

    public static Outcome Lower(Book book, IReadOnlyList<Trade> trades, TransportCostPerUnit? transport = null)
    {
        var categories = book.Categories.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var listings = book.Listings.ToDictionary(l => l.Id, StringComparer.Ordinal);
        var kept = new List<Trade>();
        var (lowered, dropped) = (0, 0);
        foreach (var trade in trades)
        {
            var pieceValues = trade.Legs.Select(l => categories[l.Category]).Where(c => PieceSteps.IsPiece(c.Unit)).Select(c => c.Value).Distinct().ToList();
            if (pieceValues.Count == 0) { kept.Add(trade); continue; }
            var value = trade.Legs[0].Value;
            var whole = PieceSteps.Step(pieceValues) is { } step ? Math.Min(value, Math.Floor(value / step + 1e-9) * step) : 0;
            var legs = trade.Legs.Select(l => l with { Value = whole, Quantity = Quantity(categories[l.Category], whole) }).ToList();
            if (whole <= 0 || legs.Any(l => l.Quantity < Math.Max(listings[l.Offer].MinLot, listings[l.Need].MinLot) - 1e-9)) { dropped++; continue; }
            if (whole < value * (1 - 1e-9)) lowered++;
            kept.Add(trade with { Legs = legs });
        }
        var objective = kept.SelectMany(t => t.Legs).Sum(l => l.Value - (transport?.Invoke(l.From, l.To, l.Category) ?? 0) * l.Quantity);
        return new Outcome(kept, objective, lowered, dropped);
    }

    private static double Quantity(Category category, double value)
    {
        var quantity = value / category.Value;
        return PieceSteps.IsPiece(category.Unit) ? Math.Round(quantity) : quantity;
    }
}
