using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TradeNet.Contracts;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Api;

/// <summary>"Why is my listing in no trade?": the listing as the next round sees it, and the listings that could be its
/// other side, each fitting or saying what keeps it out (<see cref="Counterparts"/>).</summary>
internal static class CounterpartEndpoints
{
    private const int DefaultLimit = 50, MaxLimit = 1000;

    public static void MapCounterparts(this IEndpointRouteBuilder api) =>
        // 503: other listings' counterparts kept the process's turn (CounterpartGate).
        api.MapGet("/listings/{id}/counterparts", ReadAsync).RequireAuthorization(Policies.TownOrOperator).ProducesProblems(403, 404, 503);

    private static async Task<Results<Ok<CounterpartsView>, ValidationProblem, ProblemHttpResult>> ReadAsync(string id, string? limit,
        ClaimsPrincipal user, IMatchingStore store, IOptions<MatchingOptions> options, TimeProvider clock, CounterpartGate gate,
        CounterpartBooks books, HttpContext http, CancellationToken ct)
    {
        if (!QueryLimit.TryParse(limit, DefaultLimit, MaxLimit, out var size)) return Problems.Field("limit", QueryLimit.Problem(MaxLimit));
        var stored = await store.GetListingAsync(id, ct);
        if (stored?.Listing is not { } snapshot || OrderBook.Entry(snapshot, 0) is null) return Problems.NotFound("No such listing is in matching's book.");
        if (!user.IsOperator() && stored.TownId != user.TownId())
            return Problems.Forbidden("Only the listing's town or an operator reads its counterparts.");

        using var turn = await gate.EnterAsync(ct);
        if (turn is null)
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy",
                detail: "Matching is working out other listings' counterparts; nothing was read. Retry shortly.");
        }
        var now = clock.GetUtcNow();
        IReadOnlyDictionary<string, double> held;
        IReadOnlyList<BookEntry> book;
        // The listing is told as the book it is weighed against: read again after the book, and the book read again while
        // the listing changed in between. The read above only decided who may ask, and the wait for the turn may be
        // seconds; a listing read just before the book was still a few milliseconds apart from it. Told from an older copy
        // than the book's, a listing withdrawn meanwhile was "available 10, not in the book", with no reason why.
        for (var reads = 1; ; reads++)
        {
            // The book exactly as a round clears it (what it leaves out can be no one's counterpart), read and built once
            // per book version and holds.
            (held, book) = await books.ReadAsync(store, now, ct);
            // Listings are never deleted (a withdrawal leaves a tombstone) and keep their kind and town: the copy is there.
            if (await store.GetListingAsync(id, ct) is not { Listing: { } current } again || OrderBook.Entry(current, 0) is null) break;
            var unchanged = Unchanged(stored, again);
            (stored, snapshot) = (again, current);
            // A listing changing faster than the book is read: the newest copy, against a book a moment older.
            if (unchanged || reads == 3) break;
        }
        var holds = stored.Withdrawn ? 0 : held.GetValueOrDefault(snapshot.Id);
        // As GET /book shows it: a withdrawn listing or an ended window has nothing available to the next round.
        var available = stored.Withdrawn || snapshot.AvailableUntil < now ? 0 : Math.Max(0, OrderBook.AvailableOf(snapshot.Remaining, holds));
        var inBook = book.FirstOrDefault(e => e.Id == snapshot.Id);
        var self = inBook ?? OrderBook.Entry(snapshot, snapshot.Remaining)!;
        var report = Counterparts.Report(self, book, options.Value.DetourFactor, size);

        return TypedResults.Ok(new CounterpartsView(snapshot.Id, snapshot.TownId, Kind(self.Kind), snapshot.Category, available, holds,
            snapshot.MinLot, inBook is not null, NotInBook(stored.Withdrawn, snapshot, available, now), report.Fitting, report.NotFitting,
            new TownSideView(Kind(self.Kind == ListingKind.Offer ? ListingKind.Need : ListingKind.Offer), report.TownSide, report.TownSideFitting),
            report.First.Select(CounterpartView.From).ToArray()));
    }

    /// <summary>Why a round leaves the listing out, in the order <see cref="OrderBook.From"/> and the strategies check.</summary>
    private static string? NotInBook(bool withdrawn, ListingSnapshot listing, double available, DateTimeOffset now)
    {
        if (withdrawn) return "it is withdrawn";
        if (listing.AvailableUntil is { } end && end < now) return $"its availability ended at {Counterparts.Instant(end)}";
        // A crumb of float noise is nothing a town has: it reads as none.
        if (available <= OrderBook.Epsilon) return listing.Remaining <= OrderBook.Epsilon
            ? "nothing of it remains (reserved or fulfilled to its quantity)"
            : $"all of what remains ({Number(listing.Remaining)}) is held by pending proposals or agreed trades";
        if (!OrderBook.CanTrade(available, listing.MinLot)) return $"what is available ({Number(available)}) is below its min lot ({Number(listing.MinLot)})";
        return null;
    }

    // What the answer tells of the listing: a change of its terms moves its version, a reservation only what remains.
    private static bool Unchanged(BookListing before, BookListing after) =>
        before.Withdrawn == after.Withdrawn && before.Version == after.Version && before.Listing?.Remaining == after.Listing?.Remaining;

    private static string Kind(ListingKind kind) => kind == ListingKind.Offer ? "offer" : "need";

    private static string Number(double value) => Counterparts.Quantity(value);
}
