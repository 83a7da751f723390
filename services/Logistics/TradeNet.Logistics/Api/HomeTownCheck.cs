using Grpc.Core;
using TradeNet.Contracts.Grpc;
using TradeNet.Logistics.Grpc;

namespace TradeNet.Logistics.Api;

public enum HomeTownAnswer { Known, Unknown, Unchecked }

/// <summary>Asks catalog, which owns towns, whether an operator's <c>homeTown</c> names one: a vehicle based at a
/// town nobody can log in as could be given goods that only an operator could ever report picked up.</summary>
public sealed class HomeTownCheck(LogisticsCatalogClient catalog, ILogger<HomeTownCheck> logger)
{
    /// <summary>An operator's request waits on the answer; catalog looks one id up in milliseconds when it is up.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public async Task<HomeTownAnswer> AskAsync(string townId, CancellationToken ct)
    {
        try
        {
            var reply = await catalog.GetTownsAsync(new GetTownsRequest { TownIds = { townId } },
                deadline: DateTime.UtcNow.Add(Deadline), cancellationToken: ct);
            // The id itself must come back: a reply naming other towns says nothing about this one.
            return reply.Towns.Any(t => t.Id == townId) ? HomeTownAnswer.Known : HomeTownAnswer.Unknown;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("The home town check was cancelled.", ex, ct);
        }
        catch (RpcException ex)
        {
            // Unreachable, too slow or misconfigured (token keys differ): logistics cannot tell, so it stores nothing.
            logger.LogWarning("Catalog could not check home town {TownId}: {Status} {Detail}", townId, ex.StatusCode, ex.Status.Detail);
            return HomeTownAnswer.Unchecked;
        }
    }
}
