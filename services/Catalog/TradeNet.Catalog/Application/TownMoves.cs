using System.Globalization;
using TradeNet.Catalog.Domain;

namespace TradeNet.Catalog.Application;

/// <summary>How often a town may move itself. A move re-announces every open listing of the town (one ListingChanged
/// each, up to <see cref="CatalogOptions.MaxOpenListingsPerTown"/>), so a town moving in a loop would flood matching; a
/// real correction of wrong coordinates takes one or two moves. The window slides: each move counts for an hour.</summary>
public static class TownMoves
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>The town's own moves still inside the window at <paramref name="now"/>, oldest first.</summary>
    public static DateTimeOffset[] Recent(Town town, DateTimeOffset now) =>
        (town.Moves ?? []).Where(at => at > now - Window).Order().ToArray();

    /// <summary>When the town may move itself again, or null when it may now.</summary>
    public static DateTimeOffset? NextAllowed(Town town, DateTimeOffset now, int max)
    {
        var recent = Recent(town, now);
        // The move that must leave the window first for the count to drop below the limit.
        return recent.Length < max ? null : recent[^max] + Window;
    }

    /// <summary>The moves to keep once the town has moved at <paramref name="now"/>: the latest <paramref name="max"/>,
    /// all a later check needs.</summary>
    public static DateTimeOffset[] With(Town town, DateTimeOffset now, int max) => [.. Recent(town, now).TakeLast(max - 1), now];

    public static Problem TooMany(int max, DateTimeOffset next, DateTimeOffset now) => Problem.TooManyRequests(
        $"the town moved {max} times in the last hour, the most a town may (each move announces all its open listings again); " +
        $"it may move again at {next.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} " +
        "(Retry-After), or an operator can correct its position now",
        next - now);
}
