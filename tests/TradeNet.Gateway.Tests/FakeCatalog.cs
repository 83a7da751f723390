using System.Collections.Concurrent;
using Grpc.Core;
using TradeNet.Contracts.Grpc;

namespace TradeNet.Gateway.Tests;

/// <summary>The catalog's <c>AuthenticateApiKey</c> over the keys a test registered; counts the questions asked.</summary>
public sealed class FakeCatalog : Catalog.CatalogClient
{
    private readonly ConcurrentDictionary<string, AuthenticateApiKeyReply> _towns = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();

    public bool Down { get; set; }

    public string RegisterTown(string townId, string townName)
    {
        var key = $"tn_{Guid.NewGuid():N}";
        _towns[key] = new AuthenticateApiKeyReply { Valid = true, TownId = townId, TownName = townName };
        return key;
    }

    /// <summary>What the catalog's key rotation does: the town answers to a new key, and the old one is unknown.</summary>
    public string RotateKey(string apiKey)
    {
        if (!_towns.TryRemove(apiKey, out var town)) throw new InvalidOperationException("No town has this key.");
        var key = $"tn_{Guid.NewGuid():N}";
        _towns[key] = town;
        return key;
    }

    public int CallsFor(string apiKey) => _calls.GetValueOrDefault(apiKey);

    public override AsyncUnaryCall<AuthenticateApiKeyReply> AuthenticateApiKeyAsync(AuthenticateApiKeyRequest request, CallOptions options)
    {
        _calls.AddOrUpdate(request.ApiKey, 1, (_, n) => n + 1);
        var answer = Down
            ? Task.FromException<AuthenticateApiKeyReply>(new RpcException(new Status(StatusCode.Unavailable, "catalog is down")))
            // Trimmed, as the real catalog does (TownRegistry.AuthenticateAsync).
            : Task.FromResult(_towns.GetValueOrDefault(request.ApiKey.Trim()) ?? new AuthenticateApiKeyReply { Valid = false });
        return new AsyncUnaryCall<AuthenticateApiKeyReply>(answer, Task.FromResult(new Metadata()),
            () => Down ? new Status(StatusCode.Unavailable, "catalog is down") : Status.DefaultSuccess, () => [], () => { });
    }
}
