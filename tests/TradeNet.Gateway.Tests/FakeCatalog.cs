using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using TradeNet.Contracts.Grpc;

namespace TradeNet.Gateway.Tests;

/// <summary>The catalog's <c>AuthenticateApiKey</c> over the keys a test registered, and its revoked-key feed
/// (<c>GetRevokedKeys</c>) of the keys rotated away; counts the questions asked.</summary>
public sealed class FakeCatalog : Catalog.CatalogClient
{
    private readonly ConcurrentDictionary<string, AuthenticateApiKeyReply> _towns = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly Lock _feed = new();
    private readonly List<(long Sequence, string Hash)> _revoked = [];
    private long _newest;
    private int _feedReads, _failedFeedReads;

    public bool Down { get; set; }

    /// <summary>While set, a key check is answered as of when it was asked but only delivered once this completes.</summary>
    public Task? AnswersHeldUntil { get; set; }

    /// <summary>Only the feed fails (Unimplemented), as a catalog from before it would: keys are still answered.</summary>
    public bool FeedDown { get; set; }

    /// <summary>While set, a read of the feed is answered by nothing: it waits until its caller cancels it, and then fails
    /// as a gRPC call does (<c>Cancelled</c>, an <see cref="RpcException"/>, not an OperationCanceledException).</summary>
    public bool FeedHangs { get; set; }

    /// <summary>Reads of the feed that were waiting when asked (<see cref="FeedHangs"/>).</summary>
    public int HangingFeedReads => Volatile.Read(ref _hangingFeedReads);
    private int _hangingFeedReads;

    /// <summary>Reads of the revoked-key feed answered, and refused because the catalog was down.</summary>
    public int FeedReads => Volatile.Read(ref _feedReads);
    public int FailedFeedReads => Volatile.Read(ref _failedFeedReads);

    public string RegisterTown(string townId, string townName)
    {
        var key = $"tn_{Guid.NewGuid():N}";
        _towns[key] = new AuthenticateApiKeyReply { Valid = true, TownId = townId, TownName = townName };
        return key;
    }

    /// <summary>What the catalog's key rotation does: the town answers to a new key, the old one is unknown, and its
    /// hash is next in the revoked-key feed (unless <paramref name="pruned"/>: already gone, as after a day).</summary>
    public string RotateKey(string apiKey, bool pruned = false)
    {
        lock (_feed)
        {
            if (!_towns.TryRemove(apiKey, out var town)) throw new InvalidOperationException("No town has this key.");
            var key = $"tn_{Guid.NewGuid():N}";
            _towns[key] = town;
            _newest++;
            if (!pruned) _revoked.Add((_newest, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))));
            return key;
        }
    }

    /// <summary>A catalog whose store was replaced by an empty one: its feed starts again from nothing.</summary>
    public void StartFeedOver()
    {
        lock (_feed)
        {
            _revoked.Clear();
            _newest = 0;
        }
    }

    public int CallsFor(string apiKey) => _calls.GetValueOrDefault(apiKey);

    public override AsyncUnaryCall<AuthenticateApiKeyReply> AuthenticateApiKeyAsync(AuthenticateApiKeyRequest request, CallOptions options)
    {
        _calls.AddOrUpdate(request.ApiKey, 1, (_, n) => n + 1);
        // Trimmed, as the real catalog does (TownRegistry.AuthenticateAsync).
        var call = Answer(Down, () => _towns.GetValueOrDefault(request.ApiKey.Trim()) ?? new AuthenticateApiKeyReply { Valid = false });
        return AnswersHeldUntil is { } held ? new(Deliver(held, call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose) : call;
    }

    private static async Task<T> Deliver<T>(Task held, Task<T> answer)
    {
        await held;
        return await answer;
    }

    /// <summary>As the catalog answers it (CatalogGrpcService.GetRevokedKeys over RevokedKeyPage).</summary>
    public override AsyncUnaryCall<GetRevokedKeysReply> GetRevokedKeysAsync(GetRevokedKeysRequest request, CallOptions options)
    {
        if (FeedHangs)
        {
            Interlocked.Increment(ref _hangingFeedReads);
            var cancelled = new TaskCompletionSource<GetRevokedKeysReply>(TaskCreationOptions.RunContinuationsAsynchronously);
            options.CancellationToken.Register(() =>
                cancelled.TrySetException(new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."))));
            return Call(cancelled.Task, Status.DefaultSuccess);
        }
        if (FeedDown)
        {
            Interlocked.Increment(ref _failedFeedReads);
            return Failed<GetRevokedKeysReply>(new Status(StatusCode.Unimplemented, "no such method"));
        }
        var down = Down;
        if (down) Interlocked.Increment(ref _failedFeedReads);
        return Answer(down, () =>
        {
            lock (_feed)
            {
                var after = request.AfterSequence;
                var page = _revoked.Where(r => r.Sequence > after).Take(request.Limit == 0 ? 1000 : request.Limit).ToList();
                Interlocked.Increment(ref _feedReads);
                return new GetRevokedKeysReply
                {
                    KeyHashes = { page.Select(r => r.Hash) },
                    LastSequence = page.Count > 0 ? page[^1].Sequence : after,
                    NewestSequence = _newest,
                    Pruned = page.Count > 0 ? page[0].Sequence > after + 1 : _newest > after,
                };
            }
        });
    }

    private static AsyncUnaryCall<T> Answer<T>(bool down, Func<T> reply) =>
        down ? Failed<T>(new Status(StatusCode.Unavailable, "catalog is down")) : Call(Task.FromResult(reply()), Status.DefaultSuccess);

    private static AsyncUnaryCall<T> Failed<T>(Status status) => Call(Task.FromException<T>(new RpcException(status)), status);

    private static AsyncUnaryCall<T> Call<T>(Task<T> answer, Status status) =>
        new(answer, Task.FromResult(new Metadata()), () => status, () => [], () => { });
}
