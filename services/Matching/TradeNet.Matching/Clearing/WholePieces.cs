using System.Numerics;

namespace TradeNet.Matching.Clearing;

/// <summary>
/// Goods counted in pieces (bicycles, solar panels, eggs) change hands whole. Strategies balance value exactly, so a
/// leg's quantity V / value-per-unit is a fraction in general (a third of a solar panel); this lowers each trade's V to
/// the largest value every piece leg of it carries in whole pieces. Lowering V only frees quantity, so the trades stay
/// within every listing; one whose lowered V is 0 or below a leg's min lot is dropped (its quantities go back to the
/// book for the next round).
/// </summary>
public static class WholePieces
{
    public const string Unit = "piece";

    // Values per unit are compared on a grid of a millionth: catalog's values (0.35, 1.5, 180) sit on it exactly.
    private const double Grid = 1e6;
    private const double Tolerance = 1e-9;

    /// <summary>The trades with whole pieces, and how many were lowered or dropped, for the round's log.</summary>
    public static (IReadOnlyList<ClearedTrade> Trades, int Lowered, int Dropped) Apply(
        IReadOnlyList<ClearedTrade> trades, IReadOnlyDictionary<string, BookEntry> entries)
    {
        var kept = new List<ClearedTrade>(trades.Count);
        var (lowered, dropped) = (0, 0);
        foreach (var trade in trades)
        {
            var whole = Round(trade, entries);
            if (whole is null) dropped++;
            else
            {
                if (!ReferenceEquals(whole, trade)) lowered++;
                kept.Add(whole);
            }
        }
        return (kept, lowered, dropped);
    }

    /// <summary>The trade itself when its piece legs are already whole (or it has none), a lowered copy, or null.</summary>
    public static ClearedTrade? Round(ClearedTrade trade, IReadOnlyDictionary<string, BookEntry> entries)
    {
        var pieceValues = trade.Legs.Select(l => entries[l.OfferId]).Where(IsCountedInPieces).Select(e => e.ValuePerUnit).ToList();
        if (pieceValues.Count == 0) return trade;
        if (Step(pieceValues) is not { } step) return null;

        var value = trade.Value;
        var steps = Math.Floor(value / step + Tolerance);
        if (steps < 1) return null;
        var whole = Math.Min(value, steps * step);
        if (trade.Legs.All(l => !IsCountedInPieces(entries[l.OfferId]) || IsWhole(l.Quantity)) && whole >= value - Tolerance * value)
            return trade;

        var legs = new List<ClearedLeg>(trade.Legs.Count);
        foreach (var leg in trade.Legs)
        {
            var (offer, need) = (entries[leg.OfferId], entries[leg.NeedId]);
            var quantity = whole / offer.ValuePerUnit;
            // Never more than the strategy gave: rounding to the nearest piece may only correct float noise.
            if (IsCountedInPieces(offer)) quantity = Math.Min(Math.Round(quantity), Math.Floor(leg.Quantity + Tolerance));
            if (quantity <= 0 || quantity < Math.Max(offer.MinLot, need.MinLot) - Tolerance) return null;
            legs.Add(leg with { Quantity = quantity, Value = whole, WeightKg = quantity * offer.WeightPerUnit });
        }
        return new ClearedTrade(legs);
    }

    private static bool IsCountedInPieces(BookEntry entry) => string.Equals(entry.Unit, Unit, StringComparison.OrdinalIgnoreCase);

    private static bool IsWhole(double quantity) => Math.Abs(quantity - Math.Round(quantity)) <= Tolerance * Math.Max(1, quantity);

    /// <summary>The smallest value that is a whole number of pieces in every one of these categories (the least common
    /// multiple of their values per piece), or null when it is beyond any trade's value.</summary>
    private static double? Step(IEnumerable<double> valuesPerPiece)
    {
        BigInteger step = 1;
        foreach (var value in valuesPerPiece.Distinct())
        {
            var onGrid = new BigInteger(Math.Max(1, Math.Round(value * Grid)));
            step = step / BigInteger.GreatestCommonDivisor(step, onGrid) * onGrid;
        }
        var result = (double)step / Grid;
        return double.IsFinite(result) ? result : null;
    }
}
