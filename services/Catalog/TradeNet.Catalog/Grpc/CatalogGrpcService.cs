using System.Diagnostics;
using Grpc.Core;
using TradeNet.Catalog.Application;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Contracts.Grpc;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;
using CatalogGrpc = TradeNet.Contracts.Grpc.Catalog;

namespace TradeNet.Catalog.Grpc;

/// <summary>The questions other services (and the gateway) ask the catalog synchronously. Service callers only.</summary>
public sealed class CatalogGrpcService(ICatalogStore store, ListingReservations reservations, TownRegistry towns, TimeProvider clock)
    : CatalogGrpc.CatalogBase
{
    /// <summary>The most ids one GetTowns or GetListings call may name: far above what a caller asks (a route sheet's towns,
    /// one home town), and below SQLite's limit of bound parameters (32 766), past which the read failed as Internal.</summary>
    public const int MaxIdsPerCall = 10_000;

    public override async Task<GetTownsReply> GetTowns(GetTownsRequest request, ServerCallContext context)
    {
        CheckIdCount("town_ids", request.TownIds.Count);
        var reply = new GetTownsReply();
        foreach (var town in await store.GetTownsAsync(request.TownIds, ct: context.CancellationToken))
            reply.Towns.Add(new TownInfo { Id = town.Id, Name = town.Name, Lat = town.Lat, Lon = town.Lon, Specialties = { town.Specialties } });
        return reply;
    }

    public override async Task<GetListingsReply> GetListings(GetListingsRequest request, ServerCallContext context)
    {
        CheckIdCount("listing_ids", request.ListingIds.Count);
        // Neither would read every listing ever published, in one reply: past gRPC's 4 MB answer on a busy catalog.
        if (request.ListingIds.Count == 0 && string.IsNullOrEmpty(request.TownId))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Name listing_ids or town_id."));
        var query = new ListingQuery(TownId: string.IsNullOrEmpty(request.TownId) ? null : request.TownId, Ids: request.ListingIds);
        var reply = new GetListingsReply();
        // Judged as REST judges it (ListingView): an active listing whose window is over is shown ended, not active,
        // since a reservation of it would be refused.
        var now = clock.GetUtcNow();
        foreach (var l in await store.FindListingsAsync(query, context.CancellationToken))
            reply.Listings.Add(new ListingInfo
            {
                Id = l.Id, TownId = l.TownId, Kind = l.Kind, Category = l.Category, Quantity = l.Quantity,
                Remaining = l.Remaining, MinLot = l.MinLot, Status = l.StatusAt(now),
            });
        return reply;
    }

    /// <summary>The caller name matching's service token carries (MatchingExtensions registers its catalog client so).</summary>
    public const string ReservingService = "matching";

    public override async Task<ReserveListingsReply> ReserveListings(ReserveListingsRequest request, ServerCallContext context)
    {
        // The one mutating call: only the service that agrees trades sets goods aside (the gateway and logistics read).
        if (context.GetHttpContext().User.CallerName() != ReservingService)
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"Only {ReservingService} reserves listings."));
        if (!Guid.TryParse(request.TradeId, out var tradeId) || tradeId == Guid.Empty)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "trade_id must be a non-empty GUID."));
        // A trade names a few listings per town; tens of thousands were each read inside the reservation's one write, holding
        // every other writer back, and a refusal recorded them all. Now that a gRPC message may reach 4 MB, not 256 KB.
        if (request.Items.Count > MaxIdsPerCall)
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"items: at most {MaxIdsPerCall} per reservation ({request.Items.Count} given); nothing was reserved or recorded."));
        Activity.Current?.SetTag(TradeNetTelemetry.TradeId, tradeId.ToString());
        var outcome = await reservations.ReserveAsync(tradeId,
            request.Items.Select(i => new ReservationLine(i.ListingId, i.Quantity)).ToArray(),
            request.Items.Select(i => new ExpectedTerms(i.ListingId, i.Terms)).ToArray(), context.CancellationToken);
        return new ReserveListingsReply
        {
            Reserved = outcome.Reserved,
            Reason = outcome.Reason,
            Refusal = outcome.TermsChanged ? ReservationRefusal.TermsChanged : ReservationRefusal.Unspecified,
            ChangedListingIds = { outcome.ChangedListings ?? [] },
            Versions = { (outcome.Versions ?? new Dictionary<string, long>())
                .Select(v => new ListingVersion { ListingId = v.Key, Version = v.Value }) },
        };
    }

    /// <summary>The most a page of the revoked-key feed holds, and what a call that gives no limit gets.</summary>
    public const int MaxRevokedKeysPage = 1000;

    public override async Task<GetRevokedKeysReply> GetRevokedKeys(GetRevokedKeysRequest request, ServerCallContext context)
    {
        if (request.AfterSequence < 0)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "after_sequence must be 0 or more."));
        if (request.Limit is < 0 or > MaxRevokedKeysPage)
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"limit must be 1 to {MaxRevokedKeysPage}, or 0 for {MaxRevokedKeysPage}."));
        var page = await store.GetRevokedKeysAsync(request.AfterSequence, request.Limit == 0 ? MaxRevokedKeysPage : request.Limit,
            context.CancellationToken);
        return new GetRevokedKeysReply
        {
            KeyHashes = { page.Keys.Select(k => k.KeyHash) },
            LastSequence = page.Keys.Count > 0 ? page.Keys[^1].Sequence : request.AfterSequence,
            NewestSequence = page.Newest,
            Pruned = page.LostAfter(request.AfterSequence),
        };
    }

    private static void CheckIdCount(string field, int count)
    {
        if (count > MaxIdsPerCall)
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"{field}: at most {MaxIdsPerCall} per call ({count} given); ask in several calls."));
    }

    public override async Task<AuthenticateApiKeyReply> AuthenticateApiKey(AuthenticateApiKeyRequest request, ServerCallContext context)
    {
        var town = await towns.AuthenticateAsync(request.ApiKey, context.CancellationToken);
        return town is null
            ? new AuthenticateApiKeyReply { Valid = false }
            : new AuthenticateApiKeyReply { Valid = true, TownId = town.Id, TownName = town.Name };
    }
}
