using TradeNet.Shared.Storage;
using Microsoft.Extensions.Options;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Contracts;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Application;

/// <summary>A town publishes, changes and withdraws its own listings; each change and its event commit together.</summary>
public sealed class ListingBoard(ICatalogStore store, TimeProvider clock, IOptions<CatalogOptions> options, ILogger<ListingBoard> logger)
{
    private int MaxOpen => options.Value.MaxOpenListingsPerTown;

    /// <param name="requestKey">The caller's <c>Idempotency-Key</c>, if it sent one: the listing published under it
    /// before comes back (<see cref="PublishedListing.Replayed"/>) instead of a second one.</param>
    public async Task<Outcome<PublishedListing>> PublishAsync(string townId, PublishListingRequest request, string? requestKey = null,
        CancellationToken ct = default)
    {
        if (requestKey is not null && !IdempotencyKeys.IsWellFormed(requestKey))
            return Problem.Invalid(IdempotencyKeys.Header, IdempotencyKeys.Rule);
        if (request.TownId is { } claimed && claimed.Trim() != townId)
            return Problem.Invalid("townId", "a town publishes only its own listings; leave townId out, it comes from your API key");
        var kind = request.Kind is null ? null : CatalogValidation.AsId(request.Kind);
        if (kind is null || !ListingKinds.All.Contains(kind))
            return Problem.Invalid("kind", "must be 'offer' or 'need'");
        var categoryId = request.Category is null ? null : CatalogValidation.AsId(request.Category);
        // Checked before the lookup: an unknown category's message quotes it, so it must be short and printable.
        if (TextRules.RequiredLineError(categoryId, CatalogValidation.MaxCategoryLength) is { } categoryError)
            return Problem.Invalid("category", categoryError);
        if (request.Quantity is null) return Problem.Invalid("quantity", "is required");
        var terms = new ListingTerms(request.Quantity.Value, CatalogValidation.Lot(request.MinLot ?? 0),
            CatalogValidation.NormalizeTags(request.Attributes), CatalogValidation.NormalizeTags(request.Requires),
            CatalogValidation.Utc(request.AvailableFrom), CatalogValidation.Utc(request.AvailableUntil), request.MaxDistanceKm);
        var errors = CatalogValidation.Terms(kind, terms);
        if (errors.Count > 0) return Problem.Invalid(errors);

        var fingerprint = ListingRequests.Fingerprint(kind, categoryId!, terms);
        return await WriteRetry.OnConflictAsync<Outcome<PublishedListing>>(async () =>
        {
            await using var session = await store.BeginAsync(ct);
            if (requestKey is not null && await session.GetListingRequestAsync(townId, requestKey, ct) is { } earlier)
            {
                if (earlier.Fingerprint != fingerprint)
                    return Problem.Conflict(IdempotencyKeys.UsedForOtherTerms(requestKey, "listing"));
                return await session.GetListingAsync(earlier.ListingId, ct) is { } published
                    ? new PublishedListing(published, Replayed: true)
                    : Problem.Conflict($"the listing published under {IdempotencyKeys.Header} '{requestKey}' is gone");
            }
            // After the key: a retry whose window has ended since gets the listing it published, not a refusal.
            var ended = new Dictionary<string, string[]>();
            CatalogValidation.CheckInReach(ended, terms.AvailableFrom, terms.AvailableUntil, clock.GetUtcNow());
            if (ended.Count > 0) return Problem.Invalid(ended);
            var town = await session.GetTownAsync(townId, ct);
            if (town is null) return Problem.Forbidden($"town '{townId}' is not registered");
            // Its key no longer authenticates, but a caller already past the gateway's cache must not publish either.
            if (town.IsSuspended) return Problem.Forbidden($"town '{townId}' is suspended; an operator must reinstate it first");
            var category = await session.GetCategoryAsync(categoryId!, ct);
            if (category is null) return Problem.Invalid("category", $"unknown category '{categoryId}' (see GET /api/catalog/categories)");
            var pieces = new Dictionary<string, string[]>();
            CatalogValidation.CheckWholePieces(pieces, category.Unit, terms.Quantity, terms.MinLot);
            if (pieces.Count > 0) return Problem.Invalid(pieces);
            // Counted in this write (after the key: a replay is answered whatever the count), so concurrent publishes
            // cannot together pass the limit.
            if (await session.CountOpenListingsAsync(townId, clock.GetUtcNow(), ct) >= MaxOpen) return TooManyOpen();
            var listing = new Listing(ApiKeys.NewListingId(), townId, kind, category.Id, terms.Quantity, 0, 0, terms.MinLot,
                terms.Attributes, terms.Requires, terms.AvailableFrom, terms.AvailableUntil, terms.MaxDistanceKm,
                ListingStatuses.Active, 1, clock.GetUtcNow());
            await session.AddListingAsync(listing, ct);
            // In the same write: a retry racing this one finds the key taken, retries, and gets this listing back.
            if (requestKey is not null)
                await session.AddListingRequestAsync(new ListingRequest(townId, requestKey, listing.Id, fingerprint, clock.GetUtcNow()), ct);
            session.Publish(new ListingPublished(ListingSnapshots.Of(listing, town, category)));
            await session.CommitAsync(ct);
            return new PublishedListing(listing, Replayed: false);
        });
    }

    public async Task<Outcome<Listing>> ChangeAsync(string townId, string listingId, ChangeListingRequest request,
        CancellationToken ct = default)
    {
        // Depends on the request alone, as a malformed body would.
        if (ListingPatch.Uncleared(request) is { Count: > 0 } uncleared) return Problem.Invalid(uncleared);
        return await WriteRetry.OnConflictAsync<Outcome<Listing>>(async () =>
        {
            await using var session = await store.BeginAsync(ct);
            var listing = await session.GetListingAsync(listingId, ct);
            if (listing is null) return Problem.NotFound($"listing {CatalogValidation.Quoted(listingId)} does not exist");
            if (listing.TownId != townId) return Problem.Forbidden("a town changes only its own listings");
            // As for a publish: a caller past a gateway's cache in the revocation window must not reopen an ended or
            // exhausted listing (the suspension withdrew only the open ones) and put a suspended town back on the board.
            if (await session.GetTownAsync(townId, ct) is { IsSuspended: true })
                return Problem.Forbidden($"town '{townId}' is suspended; an operator must reinstate it first");
            // A withdrawal is final (nothing reopens it), so the town is told how to offer its goods again.
            if (listing.Status == ListingStatuses.Withdrawn)
                return Problem.Conflict($"listing {CatalogValidation.Quoted(listingId)} is withdrawn and cannot change; " +
                                        "publish a new listing (POST /api/catalog/listings) with the terms you want");
            // Compared as publishing reads them (trimmed and lower-cased), so repeating them is no change.
            if (request.Kind is { } kind && CatalogValidation.AsId(kind) != listing.Kind)
                return Problem.Invalid("kind", "cannot change; withdraw and publish anew");
            if (request.Category is { } category && CatalogValidation.AsId(category) != listing.Category)
                return Problem.Invalid("category", "cannot change; withdraw and publish anew");
            if (request.TownId is { } town && town.Trim() != listing.TownId) return Problem.Invalid("townId", "cannot change");

            var current = listing.Terms;
            var terms = ListingPatch.Apply(current, request);
            var errors = CatalogValidation.Terms(listing.Kind, terms);
            CatalogValidation.CheckInReach(errors, CatalogValidation.Utc(request.AvailableFrom), CatalogValidation.Utc(request.AvailableUntil), clock.GetUtcNow());
            if (terms.Quantity < listing.Committed - Listing.Epsilon)
                errors.TryAdd("quantity", [await CommittedQuantity.ProblemAsync(session, listing, ct)]);
            if ((request.Quantity ?? request.MinLot) is not null && await session.GetCategoryAsync(listing.Category, ct) is { } unitOf)
                CatalogValidation.CheckWholePieces(errors, unitOf.Unit, request.Quantity, request.MinLot);
            CatalogValidation.BlameQuantityUnderKeptLot(errors, request, terms.MinLot);
            if (errors.Count > 0) return Problem.Invalid(errors);

            // A change that changes nothing keeps the version and announces nothing: matching would re-read the listing
            // and a client retrying a PUT would see a new version each time.
            if (terms.SameAs(current)) return listing;
            var changed = listing.Change(terms);
            // A change can reopen a listing (a later end to an ended window, more of an exhausted one): it then counts again.
            var now = clock.GetUtcNow();
            if (!listing.IsOpenAt(now) && changed.IsOpenAt(now) && await session.CountOpenListingsAsync(townId, now, ct) >= MaxOpen)
                return TooManyOpen();
            await session.UpdateListingAsync(changed, listing.Version, ct);
            await PublishChangedAsync(session, changed, ct);
            await session.CommitAsync(ct);
            return changed;
        });
    }

    /// <param name="townId">The town asking, which withdraws only its own listings; null when an operator takes a
    /// listing off the board (a fraudulent or mistaken offer must not wait for its town).</param>
    /// <param name="caller">Who asked, for the log of an operator's withdrawal.</param>
    public async Task<Outcome<Listing>> WithdrawAsync(string? townId, string listingId, string caller, CancellationToken ct = default) =>
        await WriteRetry.OnConflictAsync<Outcome<Listing>>(async () =>
        {
            await using var session = await store.BeginAsync(ct);
            var listing = await session.GetListingAsync(listingId, ct);
            if (listing is null) return Problem.NotFound($"listing {CatalogValidation.Quoted(listingId)} does not exist");
            if (townId is not null && listing.TownId != townId) return Problem.Forbidden("a town withdraws only its own listings");
            // Its key may still pass a gateway for a revocation poll: the board stays as the suspension left it, for the
            // operators to review (they may still withdraw).
            if (townId is not null && await session.GetTownAsync(townId, ct) is { IsSuspended: true })
                return Problem.Forbidden($"town '{townId}' is suspended; an operator must reinstate it first");
            if (listing.Status == ListingStatuses.Withdrawn) return listing; // withdrawing twice changes nothing
            var withdrawn = await WithdrawInAsync(session, listing, ct);
            await session.CommitAsync(ct);
            if (townId is null)
                logger.LogInformation("Operator {Operator} withdrew listing {ListingId} of town {TownId}", caller, withdrawn.Id, withdrawn.TownId);
            return withdrawn;
        });

    /// <summary>Withdraws the listing in the session's write and announces it, so matching drops it and cancels its
    /// proposals; a town's suspension withdraws each of its open listings through here too.</summary>
    internal static async Task<Listing> WithdrawInAsync(ICatalogSession session, Listing listing, CancellationToken ct)
    {
        // Quantities already reserved stay booked to their trades; only the free rest leaves the book.
        var withdrawn = listing.Withdraw();
        // At the version read: a concurrent reservation or change of this listing conflicts, and the write retries.
        await session.UpdateListingAsync(withdrawn, listing.Version, ct);
        session.Publish(new ListingWithdrawn(withdrawn.Id, withdrawn.TownId, withdrawn.Version));
        return withdrawn;
    }

    private Problem TooManyOpen() => Problem.Conflict(
        $"the town already has {MaxOpen} open listings, the most one town may have; withdraw some it no longer needs " +
        "(DELETE /api/catalog/listings/{id}) before publishing or reopening another");

    /// <summary>Announces a listing's new state with the town and category values consumers need.</summary>
    internal static async Task PublishChangedAsync(ICatalogSession session, Listing listing, CancellationToken ct)
    {
        var town = await session.GetTownAsync(listing.TownId, ct)
            ?? throw new InvalidOperationException($"Listing {listing.Id} refers to missing town {listing.TownId}.");
        var category = await session.GetCategoryAsync(listing.Category, ct)
            ?? throw new InvalidOperationException($"Listing {listing.Id} refers to missing category {listing.Category}.");
        session.Publish(new ListingChanged(ListingSnapshots.Of(listing, town, category)));
    }
}
