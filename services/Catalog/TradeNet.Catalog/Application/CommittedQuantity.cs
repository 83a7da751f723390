using System.Globalization;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Application;

/// <summary>Why a listing cannot go below what is reserved and fulfilled, said so that its town knows what to do: "must be
/// at least 6" alone left it guessing which trades held the goods and that they have to end first.</summary>
internal static class CommittedQuantity
{
    /// <summary>The trades named at most; a listing held by more is rare, and the rest are counted.</summary>
    private const int MaxNamed = 10;

    public static async Task<string> ProblemAsync(ICatalogSession session, Listing listing, CancellationToken ct)
    {
        var floor = $"must be at least {Number(listing.Committed)}";
        if (listing.Reserved <= Listing.Epsilon) return $"{floor}, already fulfilled by trades that delivered it";
        var trades = await session.TradesHoldingAsync(listing.Id, ct);
        var fulfilled = listing.Fulfilled > Listing.Epsilon ? $" and {Number(listing.Fulfilled)} already fulfilled" : "";
        // Reserved with no held reservation would be a bookkeeping fault: still say what is reserved, without trades.
        if (trades.Count == 0) return $"{floor}: {Number(listing.Reserved)} is reserved{fulfilled}";
        var named = string.Join(", ", trades.Take(MaxNamed)) + (trades.Count > MaxNamed ? $" and {trades.Count - MaxNamed} more" : "");
        return $"{floor}: {Number(listing.Reserved)} is reserved for {(trades.Count == 1 ? "trade" : "trades")} {named}{fulfilled}. " +
               "A reservation holds until its trade completes or is cancelled, so those trades must end first; an operator can " +
               "cancel them (POST /api/matching/trades/{id}/cancel) while none of their goods are on the road.";
    }

    /// <summary>As the listing's answers show it (<see cref="DisplayedNumbers"/>): a leg's float noise (3.0000000000000004 kg)
    /// is no quantity the town traded, and the server's culture must not write 3,5.</summary>
    private static string Number(double value) => DisplayedNumbers.Round(value).ToString(CultureInfo.InvariantCulture);
}
