using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Grpc.Core;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using TradeNet.Contracts.Grpc;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Gateway;

/// <summary>Who an API key belongs to: the internal token's subject, role and display name.</summary>
public sealed record EdgeCaller(string Subject, string Role, string Name);

public enum ApiKeyOutcome { Valid, Invalid, Unavailable, Limited }

public readonly record struct ApiKeyCheck(ApiKeyOutcome Outcome, EdgeCaller? Caller = null)
{
    public static readonly ApiKeyCheck Invalid = new(ApiKeyOutcome.Invalid);
    public static readonly ApiKeyCheck Unavailable = new(ApiKeyOutcome.Unavailable);
    public static readonly ApiKeyCheck Limited = new(ApiKeyOutcome.Limited);
}

/// <summary>The edge's own cache of API key answers; a private instance so no other
/// service in the same process (standalone host) can evict or size-limit it.</summary>
public sealed class ApiKeyCache(IOptions<GatewayOptions> options) : IDisposable
{
    /// <summary>Identities of keys the catalog called valid.</summary>
    public MemoryCache Entries { get; } = new(new MemoryCacheOptions { SizeLimit = options.Value.ApiKeyCache.MaxEntries });

    /// <summary>Keys the catalog refused, bounded apart from <see cref="Entries"/>: in one cache a flood of guesses filled
    /// it, so towns' identities were compacted out (the oldest used go first) or not cached at all, and every request of
    /// theirs asked the catalog again. Guesses now only push out other guesses.</summary>
    public MemoryCache Refused { get; } = new(new MemoryCacheOptions { SizeLimit = options.Value.ApiKeyCache.MaxEntries });

    /// <summary>Unknown keys per client IP and minute (the anonymous limit): a fresh key per request
    /// must neither dodge the per-IP limit nor make the catalog check keys without end.</summary>
    public PartitionedRateLimiter<string> UnknownKeys { get; } = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.RateLimit.PermitsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>Requests per minute per caller (town or operator) once its key is known: the per-key limit (EdgeRateLimits)
    /// runs before the edge knows whose a key is, so a town rotating its key would start a fresh allowance with each new
    /// one; this one follows the town across its keys.</summary>
    public PartitionedRateLimiter<string> Callers { get; } = PartitionedRateLimiter.Create<string, string>(caller =>
        RateLimitPartition.GetSlidingWindowLimiter(caller, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.Value.RateLimit.PermitsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        }));

    /// <summary>Digests of keys the catalog called valid within <see cref="ApiKeyCacheOptions.Remembered"/>. Such a key
    /// is asked about even when its client's unknown-key budget is spent: behind one address (an ingress, a NAT) a
    /// client guessing keys would otherwise lock every town out. It grants nothing itself; the catalog still decides.</summary>
    public MemoryCache Remembered { get; } = new(new MemoryCacheOptions { SizeLimit = options.Value.ApiKeyCache.MaxEntries });

    private readonly ConcurrentDictionary<string, int> _unknownInFlight = new();

    /// <summary>Takes a place in <paramref name="client"/>'s budget of unknown keys (<see cref="UnknownKeys"/>) for a key
    /// about to be asked of the catalog; false when the keys it did not call valid this minute and the checks still in
    /// flight fill it. A key is only counted once the catalog answers (a valid one spends nothing), so without the checks
    /// in flight, guesses sent all at once each found the budget unspent and all reached the catalog.</summary>
    public bool TryStartUnknownCheck(string client)
    {
        var inFlight = _unknownInFlight.AddOrUpdate(client, 1, (_, n) => n + 1);
        if (inFlight <= (UnknownKeys.GetStatistics(client)?.CurrentAvailablePermits ?? 0)) return true;
        EndUnknownCheck(client);
        return false;
    }

    /// <summary>Gives back the place <see cref="TryStartUnknownCheck"/> took (spend a refusal before).</summary>
    public void EndUnknownCheck(string client)
    {
        while (true)
        {
            var inFlight = _unknownInFlight.GetValueOrDefault(client);
            if (inFlight == 0) return;
            // The last one out removes the client, so idle clients cost nothing.
            if (inFlight == 1 ? _unknownInFlight.TryRemove(new KeyValuePair<string, int>(client, inFlight)) : _unknownInFlight.TryUpdate(client, inFlight - 1, inFlight))
                return;
        }
    }

    private long _revocations;

    /// <summary>How many times revoked keys were dropped (<see cref="Revoke"/>, <see cref="RevokeAll"/>). An answer the
    /// catalog gave before a drop may be about a key dropped in it: it is not kept past the drop.</summary>
    public long Revocations => Interlocked.Read(ref _revocations);

    /// <summary>Drops the cached answers for these keys (named by <see cref="ApiKeyAuthenticator.Digest"/>).</summary>
    public void Revoke(IEnumerable<string> digests)
    {
        // Counted before the keys go: an answer cached meanwhile is either removed here or sees the count move.
        Interlocked.Increment(ref _revocations);
        foreach (var digest in digests)
        {
            Entries.Remove(digest);
            Remembered.Remove(digest);
        }
    }

    /// <summary>Drops every cached answer: the edge cannot tell which keys were revoked, so each is asked about again.</summary>
    public void RevokeAll()
    {
        Interlocked.Increment(ref _revocations);
        Entries.Clear();
    }

    public void Dispose()
    {
        Entries.Dispose();
        Refused.Dispose();
        Remembered.Dispose();
        UnknownKeys.Dispose();
    }
}

/// <summary>Operator keys from configuration first (constant time), then town keys through the
/// catalog's <c>AuthenticateApiKey</c>, with answers cached briefly (and revoked keys dropped, <see cref="RevokedKeyPoller"/>).</summary>
public sealed class ApiKeyAuthenticator(
    Catalog.CatalogClient catalog, ApiKeyCache cache, IOptions<GatewayOptions> options, ILogger<ApiKeyAuthenticator> logger)
{
    public const int MaxKeyLength = 256;
    internal static readonly TimeSpan CatalogDeadline = TimeSpan.FromSeconds(3);

    /// <summary>1 to 256 printable ASCII characters, no spaces: what every town key and operator key is.</summary>
    public static bool IsWellFormed(string key) => TextRules.IsToken(key, MaxKeyLength);

    /// <summary>The header holds one key that could be one: sent once and well formed. Anything else the edge refuses
    /// without asking the catalog, and does not give a rate limit of its own.</summary>
    public static bool IsOneWellFormedKey(Microsoft.Extensions.Primitives.StringValues keys) => keys.Count == 1 && IsWellFormed(keys[0]!);

    /// <summary>A key's SHA-256, hex: how the edge's cache and rate limits name a key without keeping it.</summary>
    public static string Digest(string apiKey) => Convert.ToHexString(DigestBytes(apiKey));

    private static byte[] DigestBytes(string apiKey) => SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    /// <param name="fresh">Ask the catalog even when the key's identity is cached (the answer then replaces the cached one):
    /// for a key rotation, which a key the catalog already revoked must not be able to repeat from the cache.</param>
    public async Task<ApiKeyCheck> AuthenticateAsync(string apiKey, string client, CancellationToken ct, bool fresh = false)
    {
        // Catalog trims keys: a padded key would be the same town under another cache entry and rate limit partition.
        // Every key is printable ASCII without spaces (town keys are base64url, operator keys are checked at start),
        // so anything else is refused here without asking the catalog.
        if (!IsWellFormed(apiKey)) return ApiKeyCheck.Invalid;
        var digest = DigestBytes(apiKey);
        if (FindOperator(digest) is { } op) return new ApiKeyCheck(ApiKeyOutcome.Valid, new EdgeCaller(op.Name, Roles.Operator, op.Name));

        // Keyed by digest: the raw key never sits in memory longer than the request.
        var cacheKey = Convert.ToHexString(digest);
        if (!fresh && (cache.Entries.TryGetValue(cacheKey, out ApiKeyCheck known) || cache.Refused.TryGetValue(cacheKey, out known))) return known;
        var remembered = cache.Remembered.TryGetValue(cacheKey, out _);
        if (!remembered && !cache.TryStartUnknownCheck(client)) return ApiKeyCheck.Limited;

        var revocations = cache.Revocations;
        ApiKeyCheck check;
        try
        {
            check = await AskCatalogAsync(apiKey, ct);
            // A key the catalog did not call valid is still unknown: refused, or not answered (down or overloaded: a guess
            // per request, or one key sent again and again, must not go on adding to its load). Spent before the check
            // leaves the count in flight, so the two never both miss it. A remembered key the catalog did not answer
            // spends nothing: it never waits for the budget (its own per-key limit holds it), so spending would only lock
            // out the new towns behind the same address once the catalog is back.
            if (check.Outcome == ApiKeyOutcome.Invalid || (check.Outcome == ApiKeyOutcome.Unavailable && !remembered))
                cache.UnknownKeys.AttemptAcquire(client).Dispose();
        }
        finally
        {
            if (!remembered) cache.EndUnknownCheck(client);
        }
        if (check.Outcome == ApiKeyOutcome.Valid)
        {
            cache.Refused.Remove(cacheKey);
            cache.Entries.Set(cacheKey, check, Expiring(options.Value.ApiKeyCache.Valid));
            // Keys were revoked while the catalog answered, perhaps this one: the answer serves this request, not the next.
            if (cache.Revocations != revocations) cache.Entries.Remove(cacheKey);
            cache.Remembered.Set(cacheKey, true, Expiring(options.Value.ApiKeyCache.Remembered));
        }
        else if (check.Outcome == ApiKeyOutcome.Invalid)
        {
            // A refusal replaces a cached identity (a rotation's fresh check of a key the catalog has replaced).
            cache.Entries.Remove(cacheKey);
            cache.Remembered.Remove(cacheKey);
            cache.Refused.Set(cacheKey, check, Expiring(options.Value.ApiKeyCache.Invalid));
        }
        return check;
    }

    private static MemoryCacheEntryOptions Expiring(TimeSpan ttl) => new() { AbsoluteExpirationRelativeToNow = ttl, Size = 1 };

    /// <summary>Drops a key's cached identity: after its town rotated it here, it is refused at once on this edge.</summary>
    public void Forget(string apiKey) => cache.Revoke([Digest(apiKey)]);

    private OperatorKey? FindOperator(byte[] digest)
    {
        // Compare hashes of equal length against every operator, without stopping early,
        // so timing reveals neither a key's prefix nor which operator matched.
        OperatorKey? match = null;
        foreach (var op in options.Value.Operators)
        {
            var candidate = DigestBytes(op.Key);
            if (CryptographicOperations.FixedTimeEquals(candidate, digest) && op.Key.Length > 0) match ??= op;
        }
        return match;
    }

    private async Task<ApiKeyCheck> AskCatalogAsync(string apiKey, CancellationToken ct)
    {
        try
        {
            var reply = await catalog.AuthenticateApiKeyAsync(new AuthenticateApiKeyRequest { ApiKey = apiKey },
                deadline: DateTime.UtcNow.Add(CatalogDeadline), cancellationToken: ct);
            return reply.Valid && !string.IsNullOrEmpty(reply.TownId)
                ? new ApiKeyCheck(ApiKeyOutcome.Valid, new EdgeCaller(reply.TownId, Roles.Town, reply.TownName))
                : ApiKeyCheck.Invalid;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound)
        {
            return ApiKeyCheck.Invalid;
        }
        catch (RpcException ex)
        {
            // Unreachable, overloaded or misconfigured (e.g. token keys differ): the edge cannot decide.
            logger.LogWarning("Catalog could not authenticate an API key: {Status} {Detail}", ex.StatusCode, ex.Status.Detail);
            return ApiKeyCheck.Unavailable;
        }
    }
}
