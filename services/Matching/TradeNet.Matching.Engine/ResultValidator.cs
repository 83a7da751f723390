namespace TradeNet.Matching.Engine;

/// <summary>
/// Checks a plan against every rule of issue 3, independently of how it was found: every number is finite, legs fit, trades are
/// simple cycles of 2..K towns (or chains of 1..L legs from a donor town) with equal value per leg, quantities match values (and are
/// whole for goods counted in pieces when the book's <see cref="Settings.WholePieces"/> is on), min lots and remaining
/// quantities hold, and the objective, bound and gap agree with the trades. Empty list = valid.
/// </summary>
public static class ResultValidator
{
    private const double RelTol = 1e-6;

    public static IReadOnlyList<string> Validate(Book book, ClearingResult result, TransportCostPerUnit? transport = null)
    {
        var errors = Validate(book, result.Trades, result.Objective, transport);
        // Every comparison below is false for NaN, and Infinity − Infinity is NaN: a bound or gap that is not a number passed them all.
        if (!double.IsFinite(result.Bound) || !double.IsFinite(result.Gap))
            errors.Add($"bound {result.Bound} or gap {result.Gap} is not a finite number");
        if (result.Bound < result.Objective - Tol(result.Objective))
            errors.Add($"bound {result.Bound} is below the objective {result.Objective}");
        var gap = result.Bound > 0 ? (result.Bound - result.Objective) / result.Bound : 0;
        if (Math.Abs(gap - result.Gap) > 1e-9) errors.Add($"gap {result.Gap} does not match (bound − objective) / bound = {gap}");
        if (result.Status == SolveStatus.Optimal && result.Gap > RelTol) errors.Add($"status optimal with gap {result.Gap}");
        return errors;
    }

    /// <summary>Validates trades and their claimed objective (also used for the greedy baseline).</summary>
    public static List<string> Validate(Book book, IReadOnlyList<Trade> trades, double objective, TransportCostPerUnit? transport = null)
    {
        var errors = new List<string>();
        var settings = book.Settings ?? new Settings();
        var towns = book.Towns.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var categories = book.Categories.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var listings = book.Listings.ToDictionary(l => l.Id, StringComparer.Ordinal);
        var used = new Dictionary<string, double>(StringComparer.Ordinal);
        double total = 0;
        if (!double.IsFinite(objective)) errors.Add($"objective {objective} is not a finite number");
        // "trades": null reads as a null list, as a null leg does: told, not a NullReferenceException below.
        if (trades is null) { errors.Add("trades is null; a result with none has []"); return errors; }
        for (var ti = 0; ti < trades.Count; ti++)
        {
            var where = $"trade {ti}";
            // A result read from JSON may hold nulls ("offer": null, a null leg): the lookups below would throw on them.
            if (trades[ti]?.Legs is not { } legs) { errors.Add($"{where} is null or has no legs"); continue; }
            if (Incomplete(legs, where) is { Count: > 0 } missing) { errors.AddRange(missing); continue; }
            var chain = trades[ti].Chain;
            if (chain && (legs.Count < 1 || legs.Count > settings.MaxChainLength))
                errors.Add($"{where}: a chain of {legs.Count} legs, allowed 1..{settings.MaxChainLength}");
            if (!chain && (legs.Count < 2 || legs.Count > settings.MaxCycleLength))
                errors.Add($"{where}: {legs.Count} legs, allowed 2..{settings.MaxCycleLength}");
            if (legs.Count == 0) continue;
            // A chain's towns are its givers and its last receiver; a cycle's are its givers.
            var visited = chain ? legs.Select(l => l.From).Append(legs[^1].To).ToList() : legs.Select(l => l.From).ToList();
            if (visited.Distinct().Count() != visited.Count) errors.Add($"{where}: a town appears twice");
            if (chain && !(towns.TryGetValue(legs[0].From, out var first) && first.Donor)) errors.Add($"{where}: a chain must start at a donor town");
            var value = legs[0].Value;
            if (!(value > 0)) errors.Add($"{where}: value {value} must be > 0");
            for (var i = 0; i < legs.Count; i++)
            {
                var leg = legs[i];
                var lw = $"{where} leg {i} ({leg.Offer}->{leg.Need})";
                // The checks below compare with a tolerance, and every comparison with NaN is false (|Inf − Inf| too):
                // a NaN quantity, or Infinity for every value and the objective, passed them all.
                if (!double.IsFinite(leg.Quantity) || !double.IsFinite(leg.Value))
                { errors.Add($"{lw}: quantity {leg.Quantity} or value {leg.Value} is not a finite number"); continue; }
                if ((!chain || i + 1 < legs.Count) && leg.To != legs[(i + 1) % legs.Count].From) errors.Add($"{lw}: does not lead to the next leg's town");
                if (Math.Abs(leg.Value - value) > Tol(value)) errors.Add($"{lw}: value {leg.Value} differs from the trade's {value}");
                if (!listings.TryGetValue(leg.Offer, out var offer) || !listings.TryGetValue(leg.Need, out var need))
                { errors.Add($"{lw}: unknown listing"); continue; }
                if (offer.Kind != ListingKind.Offer || need.Kind != ListingKind.Need) { errors.Add($"{lw}: offer/need kinds swapped"); continue; }
                if (offer.Town != leg.From || need.Town != leg.To) errors.Add($"{lw}: listings do not belong to the leg's towns");
                if (leg.Category != offer.Category) errors.Add($"{lw}: category {leg.Category} is not the offer's");
                if (!towns.TryGetValue(offer.Town, out var from) || !towns.TryGetValue(need.Town, out var to)
                    || !Fit.Fits(offer, from, need, to, settings.DetourFactor))
                    errors.Add($"{lw}: offer does not fit the need");
                if (!categories.TryGetValue(offer.Category, out var cat)) { errors.Add($"{lw}: unknown category"); continue; }
                if (Math.Abs(leg.Quantity * cat.Value - leg.Value) > Tol(leg.Value)) errors.Add($"{lw}: quantity × value ≠ leg value");
                if (settings.WholePieces && PieceSteps.IsPiece(cat.Unit) && !PieceSteps.IsWhole(leg.Quantity))
                    errors.Add($"{lw}: {leg.Quantity} {cat.Unit}s of {cat.Id} is not a whole number of pieces");
                var lot = Math.Max(offer.MinLot, need.MinLot);
                if (leg.Quantity < lot - Tol(lot)) errors.Add($"{lw}: quantity {leg.Quantity} below min lot {lot}");
                used[offer.Id] = used.GetValueOrDefault(offer.Id) + leg.Quantity;
                used[need.Id] = used.GetValueOrDefault(need.Id) + leg.Quantity;
                total += leg.Value - (transport is null ? 0 : transport(leg.From, leg.To, leg.Category) * leg.Quantity);
            }
        }
        foreach (var (id, q) in used)
        {
            var l = listings[id];
            if (q > l.Quantity + Tol(l.Quantity)) errors.Add($"listing '{id}': {q} used of {l.Quantity}");
        }
        if (Math.Abs(total - objective) > Tol(Math.Max(Math.Abs(total), Math.Abs(objective))))
            errors.Add($"objective {objective} differs from the trades' total {total}");
        return errors;
    }

    private static List<string> Incomplete(IReadOnlyList<Leg> legs, string where)
    {
        var missing = new List<string>();
        for (var i = 0; i < legs.Count; i++)
        {
            if (legs[i] is not { } leg) { missing.Add($"{where} leg {i} is null"); continue; }
            foreach (var (field, id) in new[] { ("from", leg.From), ("to", leg.To), ("offer", leg.Offer), ("need", leg.Need), ("category", leg.Category) })
                if (id is null) missing.Add($"{where} leg {i} has no {field}");
        }
        return missing;
    }

    private static double Tol(double v) => RelTol * Math.Max(1, Math.Abs(v));
}
