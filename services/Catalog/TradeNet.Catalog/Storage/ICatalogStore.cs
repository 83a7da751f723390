using TradeNet.Catalog.Domain;
using TradeNet.Shared.Storage;

namespace TradeNet.Catalog.Storage;

/// <summary>The catalog's storage port: reads, and sessions for atomic writes (state + outbox + inbox).</summary>
public interface ICatalogStore
{
    /// <summary>Creates what the store needs and upserts the seed categories; safe to run on every start.</summary>
    Task InitializeAsync(IReadOnlyList<Category> categories, CancellationToken ct = default);

    Task<ICatalogSession> BeginAsync(CancellationToken ct = default);

    /// <summary>Towns by name, then id; all of them, those with the ids, or a page (after a town, at most a limit).</summary>
    Task<IReadOnlyList<Town>> GetTownsAsync(IReadOnlyCollection<string>? ids = null, TownPage? page = null, CancellationToken ct = default);
    Task<Town?> GetTownAsync(string id, CancellationToken ct = default);

    /// <summary>The number of the last rename (<see cref="ICatalogSession.UpdateTownAsync"/> numbers each change of a
    /// name, one after another); 0 before any.</summary>
    Task<long> TownRenamesAsync(CancellationToken ct = default);

    Task<Town?> FindTownByKeyHashAsync(string apiKeyHash, CancellationToken ct = default);

    Task<IReadOnlyList<Category>> GetCategoriesAsync(CancellationToken ct = default);

    Task<IReadOnlyList<Listing>> FindListingsAsync(ListingQuery query, CancellationToken ct = default);
    Task<Listing?> GetListingAsync(string id, CancellationToken ct = default);

    Task<Reservation?> GetReservationAsync(Guid tradeId, CancellationToken ct = default);

    /// <summary>The revoked-key feed after <paramref name="afterSequence"/>: at most <paramref name="limit"/> entries in
    /// sequence order, and the newest sequence, read before them (so an entry up to it that the page lacks was pruned).</summary>
    Task<RevokedKeyPage> GetRevokedKeysAsync(long afterSequence, int limit, CancellationToken ct = default);
}

/// <summary>One atomic write. Reads inside it see the session's own writes; nothing is visible to
/// others until <see cref="IWriteScope.CommitAsync"/>.</summary>
public interface ICatalogSession : IWriteScope
{
    Task<Town?> GetTownAsync(string id, CancellationToken ct = default);
    Task<Category?> GetCategoryAsync(string id, CancellationToken ct = default);
    Task<Listing?> GetListingAsync(string id, CancellationToken ct = default);
    Task<Reservation?> GetReservationAsync(Guid tradeId, CancellationToken ct = default);

    /// <summary>The trades whose reservation still holds part of the listing (state held, a line on it), oldest first:
    /// what a town must see end before it can lower the listing below what they hold.</summary>
    Task<IReadOnlyList<Guid>> TradesHoldingAsync(string listingId, CancellationToken ct = default);

    /// <exception cref="CatalogConflictException">The id or the key hash is taken.</exception>
    Task AddTownAsync(Town town, CancellationToken ct = default);

    /// <summary>The suspended towns that hold <paramref name="inseeCode"/> (when given) or lie in <paramref name="near"/>:
    /// what a registration must not bring back under a new identity. Read in the registration's own write.</summary>
    Task<IReadOnlyList<Town>> GetSuspendedTownsLikeAsync(string? inseeCode, GeoBox near, CancellationToken ct = default);

    /// <summary>The registration made under this Idempotency-Key hash, if any (it may have expired: the caller checks).</summary>
    Task<TownRequest?> GetTownRequestAsync(string keyHash, CancellationToken ct = default);

    /// <summary>Keeps a registration's Idempotency-Key, in the registration's write; first forgets what expired by
    /// <paramref name="now"/> (every such key on SQLite; on MongoDB the one with this hash, a TTL index the others).</summary>
    /// <exception cref="CatalogConflictException">The key is taken (a concurrent registration with it).</exception>
    Task AddTownRequestAsync(TownRequest request, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Gives the town <paramref name="newHash"/> in place of <paramref name="currentHash"/>, the hash the session
    /// read: one key per town, so the old key stops authenticating when this commits.</summary>
    /// <exception cref="CatalogConflictException">The town's key changed meanwhile (another rotation) or the new hash is taken.</exception>
    Task ReplaceTownKeyAsync(string townId, string currentHash, string newHash, CancellationToken ct = default);

    /// <summary>Lists <paramref name="keyHash"/> next in the revoked-key feed, in the write that replaced the key, so the
    /// feed holds every committed rotation and nothing else. Also forgets entries revoked <see cref="RevokedKey.Retention"/>
    /// before <paramref name="at"/> (rotations are rare, so the feed needs no sweep of its own).</summary>
    /// <returns>The new entry's sequence.</returns>
    Task<long> RevokeKeyAsync(string keyHash, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Sets the town's name, position and specialties from <paramref name="town"/>; its id, INSEE code, key hash
    /// and registration time are left as stored, so a key rotation committed meanwhile is never undone. A new name is
    /// numbered as the catalog's next rename (<see cref="ICatalogStore.TownRenamesAsync"/>).</summary>
    /// <exception cref="CatalogConflictException">The town is not stored (nothing removes towns, so only a race explains it).</exception>
    Task UpdateTownAsync(Town town, CancellationToken ct = default);

    /// <summary>Sets the town's suspension, and nothing else of it.</summary>
    /// <exception cref="CatalogConflictException">The town is not stored.</exception>
    Task SetTownSuspensionAsync(string townId, TownSuspension suspension, CancellationToken ct = default);

    /// <summary>Clears the town's suspension and keeps <paramref name="reinstatedAt"/> as its last reinstatement
    /// (<see cref="Town.ReinstatedAt"/>), and nothing else of it.</summary>
    /// <exception cref="CatalogConflictException">The town is not stored.</exception>
    Task ReinstateTownAsync(string townId, DateTimeOffset reinstatedAt, CancellationToken ct = default);

    Task AddListingAsync(Listing listing, CancellationToken ct = default);

    /// <summary>How many of the town's listings are open at <paramref name="now"/> (<see cref="Listing.IsOpenAt"/>). Two
    /// sessions that both count for one town cannot both commit, so a limit checked on the count holds at commit:
    /// SQLite writers run one at a time anyway; on MongoDB both write the town's guard document in <c>counters</c>, so
    /// the later one fails with a conflict and is retried on a fresh snapshot.</summary>
    Task<int> CountOpenListingsAsync(string townId, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>The town's listings open at <paramref name="now"/> (<see cref="Listing.IsOpenAt"/>), oldest first. Like
    /// <see cref="CountOpenListingsAsync"/> it takes the town's guard on MongoDB, so a listing published concurrently
    /// either is in this list or its session conflicts and retries after this one committed (and reads what it wrote).</summary>
    Task<IReadOnlyList<Listing>> GetOpenListingsAsync(string townId, DateTimeOffset now, CancellationToken ct = default);

    Task<ListingRequest?> GetListingRequestAsync(string townId, string key, CancellationToken ct = default);

    /// <exception cref="CatalogConflictException">The town used the key already.</exception>
    Task AddListingRequestAsync(ListingRequest request, CancellationToken ct = default);

    /// <summary>Replaces the listing if it is still at <paramref name="expectedVersion"/>.</summary>
    /// <exception cref="CatalogConflictException">Someone else changed it first.</exception>
    Task UpdateListingAsync(Listing listing, long expectedVersion, CancellationToken ct = default);

    /// <exception cref="CatalogConflictException">The trade already has a reservation.</exception>
    Task AddReservationAsync(Reservation reservation, CancellationToken ct = default);

    Task UpdateReservationAsync(Reservation reservation, CancellationToken ct = default);
}

/// <summary>Listings oldest first (created, then id); <see cref="After"/> starts past a listing of an earlier page,
/// <see cref="Limit"/> caps the page (null: all, for services).</summary>
public sealed record ListingQuery(
    string? TownId = null,
    string? Kind = null,
    string? Category = null,
    string? Status = null,
    IReadOnlyCollection<string>? Ids = null,
    ListingCursor? After = null,
    int? Limit = null,
    DateTimeOffset? At = null)
{
    /// <summary>When <c>active</c> and <c>ended</c> are judged (<see cref="Listing.StatusAt"/>): both are stored as active.</summary>
    public DateTimeOffset StatusTime => At ?? throw new InvalidOperationException($"A query by status '{Status}' needs the time it is judged at.");
}

/// <summary>A latitude/longitude box, bounds included: a cheap filter before an exact distance.</summary>
public sealed record GeoBox(double MinLat, double MaxLat, double MinLon, double MaxLon)
{
    /// <summary>A box holding every point within <paramref name="km"/> of (lat, lon). Near a pole or across the
    /// antimeridian it takes every longitude, which is still correct, only wider.</summary>
    public static GeoBox Around(double lat, double lon, double km)
    {
        const double kmPerDegree = 111.19; // along a meridian, on the sphere Geo.HaversineKm uses
        var dLat = km / kmPerDegree;
        var (minLat, maxLat) = (Math.Max(-90, lat - dLat), Math.Min(90, lat + dLat));
        var cos = Math.Min(Math.Cos(minLat * Math.PI / 180), Math.Cos(maxLat * Math.PI / 180));
        var dLon = cos <= 1e-6 ? 360 : km / (kmPerDegree * cos);
        return lon - dLon < -180 || lon + dLon > 180
            ? new GeoBox(minLat, maxLat, -180, 180)
            : new GeoBox(minLat, maxLat, lon - dLon, lon + dLon);
    }
}

/// <summary>A page of towns: those after <see cref="After"/> (where an earlier page ended), at most <see cref="Limit"/>, and
/// when given only the suspended (or only the active) ones, or those with one INSEE code. <see cref="RenamedUpTo"/> leaves
/// out the towns renamed after that rename (<see cref="ICatalogStore.TownRenamesAsync"/>): a walk that began then may have
/// shown them under their old name already.</summary>
public sealed record TownPage(TownCursor? After, int Limit, bool? Suspended = null, string? InseeCode = null, long? RenamedUpTo = null);

/// <summary>Where a page of towns ends: the last town's name as that page showed it, and its id (the towns' order).</summary>
public sealed record TownCursor(string Name, string Id)
{
    public static TownCursor Of(Town town) => new(town.Name, town.Id);
}

/// <summary>Where a page of listings ends: the last listing's creation time and id (the listings' order).</summary>
public sealed record ListingCursor(DateTimeOffset CreatedAt, string Id);

/// <summary>A write lost a race (duplicate key, version changed, transaction conflict); retry from the start.</summary>
public sealed class CatalogConflictException(string message, Exception? inner = null) : WriteConflictException(message, inner);

