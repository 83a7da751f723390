namespace TradeNet.Matching.Engine;

/// <summary>
/// Chains priced as cycles. A chain donor → t1 → … → tn is the cycle closed by a virtual leg tn → donor
/// that moves nothing (profit 0), so pricing, the master LP, the bound and the integer phase treat it like any
/// cycle. Each town that has needs gets a virtual offer (it can end a chain) and each donor a virtual need (its
/// gift comes back as nothing); both are sized so they never bind. Donors come first in the town order, so every
/// chain starts at its smallest town, as pricing expects, and no other cycle can reach them.
/// </summary>
internal static class ChainBook
{
    /// <summary>Whether the book allows chains and has a donor to start one.</summary>
    public static bool Applies(Book book) => (book.Settings ?? new Settings()).MaxChainLength > 0 && book.Towns.Any(t => t.Donor);

    /// <summary>The book with the virtual listings appended after the real ones (whose indexes stay the same).</summary>
    public static Book Augment(Book book)
    {
        var category = "~chain";
        while (book.Categories.Any(c => c.Id == category)) category += "~";
        var value = book.Categories.ToDictionary(c => c.Id, c => c.Value, StringComparer.Ordinal);
        var received = new Dictionary<string, double>(StringComparer.Ordinal);
        var given = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var l in book.Listings)
        {
            var totals = l.Kind == ListingKind.Need ? received : given;
            totals[l.Town] = totals.GetValueOrDefault(l.Town) + l.Quantity * value[l.Category];
        }
        var listings = book.Listings.ToList();
        var towns = book.Towns.Where(t => t.Donor).Concat(book.Towns.Where(t => !t.Donor)).ToList();
        foreach (var t in towns)
        {
            if (!t.Donor && received.TryGetValue(t.Id, out var needs))
                listings.Add(new Listing($"~end:{t.Id}", t.Id, ListingKind.Offer, category, needs));
            if (t.Donor && given.TryGetValue(t.Id, out var gifts))
                listings.Add(new Listing($"~back:{t.Id}", t.Id, ListingKind.Need, category, gifts));
        }
        return book with { Categories = [.. book.Categories, new Category(category, "credit", 1)], Towns = towns, Listings = listings };
    }
}
