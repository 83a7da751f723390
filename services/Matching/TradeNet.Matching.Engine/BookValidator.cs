namespace TradeNet.Matching.Engine;

/// <summary>One problem in a book; <see cref="ListingId"/> is null when it is not about a listing.</summary>
public sealed record BookError(string? ListingId, string Message)
{
    public override string ToString() => ListingId is null ? Message : $"listing '{ListingId}': {Message}";
}

/// <summary>Thrown by <see cref="ClearingEngine.Solve"/> on a malformed book; carries every error found.</summary>
public sealed class BookValidationException(IReadOnlyList<BookError> errors)
    : Exception(errors.Count == 0 ? "invalid book" : errors[0].ToString())
{
    public IReadOnlyList<BookError> Errors { get; } = errors;
}

/// <summary>Checks a book before solving, so a bad listing is reported by name instead of producing a wrong plan.</summary>
public static class BookValidator
{
    public const int MinCycleLength = 2;
    public const int MaxSupportedCycleLength = 4;
    /// <summary>A chain is priced as a cycle closed by a virtual leg back to its donor, so it has one leg less.</summary>
    public const int MaxSupportedChainLength = MaxSupportedCycleLength - 1;
    /// <summary>About 23 days: the solve hands its deadline to CancelAfter and Task.Wait, which .NET refuses beyond
    /// int.MaxValue milliseconds (24.8 days); 1e9 passed this check and then crashed the solve.</summary>
    public const double MaxTimeLimitSeconds = 2e6;

    public static IReadOnlyList<BookError> Validate(Book book)
    {
        var errors = new List<BookError>();
        if (book.Categories is null || book.Towns is null || book.Listings is null)
        {
            errors.Add(new BookError(null, "book must have categories, towns and listings"));
            return errors;
        }
        // A JSON null inside an array deserialises to a null record: report it rather than dereference it.
        foreach (var (name, count) in new[] { ("categories", book.Categories.Count(c => c is null)),
                     ("towns", book.Towns.Count(t => t is null)), ("listings", book.Listings.Count(l => l is null)) })
            if (count > 0) errors.Add(new BookError(null, $"{name} must not contain null entries (found {count})"));
        if (errors.Count > 0) return errors;

        // "and finite" in the messages: a number past a double's range (1e400 in a book) is read as Infinity, which "> 0" alone does not rule out.
        var categories = new HashSet<string>(StringComparer.Ordinal);
        var values = new Dictionary<string, double>(StringComparer.Ordinal); // the categories with a valid value
        foreach (var c in book.Categories)
        {
            if (string.IsNullOrWhiteSpace(c.Id)) errors.Add(new BookError(null, "a category has no id"));
            else if (!categories.Add(c.Id)) errors.Add(new BookError(null, $"duplicate category id '{c.Id}'"));
            if (c.Unit is null) errors.Add(new BookError(null, $"category '{c.Id}' has no unit"));
            if (!(c.Value > 0) || !double.IsFinite(c.Value))
                errors.Add(new BookError(null, $"category '{c.Id}' must have a value > 0 and finite (got {c.Value})"));
            else if (c.Id is not null) values.TryAdd(c.Id, c.Value);
        }

        var towns = new HashSet<string>(StringComparer.Ordinal);
        var donors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in book.Towns)
        {
            if (t.Donor && t.Id is not null) donors.Add(t.Id);
            if (string.IsNullOrWhiteSpace(t.Id)) errors.Add(new BookError(null, "a town has no id"));
            else if (!towns.Add(t.Id)) errors.Add(new BookError(null, $"duplicate town id '{t.Id}'"));
            if (t.Name is null) errors.Add(new BookError(null, $"town '{t.Id}' has no name"));
            if (!(t.Lat is >= -90 and <= 90) || !(t.Lon is >= -180 and <= 180))
                errors.Add(new BookError(null, $"town '{t.Id}' has coordinates out of range (lat {t.Lat}, lon {t.Lon}: lat from -90 to 90, lon from -180 to 180)"));
        }

        // Every amount the engine adds up (capacities, leg values, the objective) is at most this total.
        double total = 0;

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in book.Listings)
        {
            if (string.IsNullOrWhiteSpace(l.Id)) { errors.Add(new BookError(null, $"a listing of town '{l.Town}' has no id")); continue; }
            if (!ids.Add(l.Id)) errors.Add(new BookError(l.Id, "duplicate listing id"));
            if (l.Town is null || !towns.Contains(l.Town)) errors.Add(new BookError(l.Id, $"unknown town '{l.Town}'"));
            else if (l.Kind == ListingKind.Need && donors.Contains(l.Town)) errors.Add(new BookError(l.Id, $"town '{l.Town}' is a donor: it lists offers only"));
            if (l.Category is null || !categories.Contains(l.Category)) errors.Add(new BookError(l.Id, $"unknown category '{l.Category}'"));
            if (!Enum.IsDefined(l.Kind)) errors.Add(new BookError(l.Id, "kind must be offer or need"));
            if (!(l.Quantity > 0) || !double.IsFinite(l.Quantity)) errors.Add(new BookError(l.Id, $"quantity must be > 0 and finite (got {l.Quantity})"));
            else if (l.Category is not null && values.TryGetValue(l.Category, out var v) && double.IsFinite(total))
            {
                total += l.Quantity * v;
                if (!double.IsFinite(total)) errors.Add(new BookError(l.Id, "quantity × category value overflows the book's total value (Σ over listings must stay below 1.8e308)"));
            }
            if (!(l.MinLot >= 0) || !double.IsFinite(l.MinLot)) errors.Add(new BookError(l.Id, $"minLot must be ≥ 0 and finite (got {l.MinLot})"));
            else if (l.Quantity > 0 && l.MinLot > l.Quantity) errors.Add(new BookError(l.Id, $"minLot {l.MinLot} exceeds quantity {l.Quantity}"));
            // The min-lot buckets grow by a ratio from the smallest lot: from a subnormal value they never would.
            else if (l.Category is not null && values.TryGetValue(l.Category, out var lotValue) && double.IsSubnormal(l.MinLot * lotValue))
                errors.Add(new BookError(l.Id, $"minLot {l.MinLot} × category value {lotValue} is too small to represent (use 0 for no min lot)"));
            if (l.MaxDistanceKm is { } d && (!(d >= 0) || !double.IsFinite(d))) errors.Add(new BookError(l.Id, $"maxDistanceKm must be ≥ 0 and finite (got {d})"));
            if (l.Attributes?.Any(a => a is null) == true) errors.Add(new BookError(l.Id, "attributes must not contain null"));
            if (l.Requires?.Any(r => r is null) == true) errors.Add(new BookError(l.Id, "requires must not contain null"));
            if (l.AvailableFrom is { } from && l.AvailableUntil is { } until && from > until)
                errors.Add(new BookError(l.Id, "availableFrom is after availableUntil"));
        }

        var s = book.Settings ?? new Settings();
        if (s.MaxCycleLength is < MinCycleLength or > MaxSupportedCycleLength)
            errors.Add(new BookError(null, $"settings.maxCycleLength must be {MinCycleLength}..{MaxSupportedCycleLength} (got {s.MaxCycleLength})"));
        if (s.MaxChainLength is < 0 or > MaxSupportedChainLength)
            errors.Add(new BookError(null, $"settings.maxChainLength must be 0..{MaxSupportedChainLength} (got {s.MaxChainLength})"));
        if (!(s.DetourFactor >= 1) || !double.IsFinite(s.DetourFactor))
            errors.Add(new BookError(null, $"settings.detourFactor must be ≥ 1 and finite (got {s.DetourFactor})"));
        if (s.TimeLimitSeconds is { } tl && !(tl is > 0 and <= MaxTimeLimitSeconds))
            errors.Add(new BookError(null, $"settings.timeLimitSeconds must be > 0 and ≤ {MaxTimeLimitSeconds:0} (got {tl})"));
        return errors;
    }

    public static void ThrowIfInvalid(Book book)
    {
        var errors = Validate(book);
        if (errors.Count > 0) throw new BookValidationException(errors);
    }
}
