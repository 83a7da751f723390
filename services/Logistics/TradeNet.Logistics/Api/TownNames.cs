using Grpc.Core;
using TradeNet.Contracts.Grpc;
using TradeNet.Logistics.Grpc;

namespace TradeNet.Logistics.Api;

/// <summary>Asks catalog, which owns towns, for the names of a route's towns, so a driver's sheet reads "Roanne (42187)"
/// rather than an id. Names are a courtesy: when catalog cannot answer in time the sheet is rendered with ids.</summary>
public sealed class TownNames(LogisticsCatalogClient catalog, ILogger<TownNames> logger)
{
    /// <summary>Catalog looks a few ids up in milliseconds when it is up; a driver waiting on a sheet should not wait
    /// long for names it can do without (the home town check, which cannot do without, waits 3 s).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    /// <summary>Id → name for the towns catalog knows among <paramref name="townIds"/> (one call); towns it does not know
    /// are left out. Null when catalog could not answer.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> AskAsync(IEnumerable<string> townIds, CancellationToken ct)
    {
        var ids = townIds.Where(id => !string.IsNullOrEmpty(id)).ToHashSet(StringComparer.Ordinal);
        // An empty question would be answered with every town.
        if (ids.Count == 0) return new Dictionary<string, string>();
        try
        {
            var reply = await catalog.GetTownsAsync(new GetTownsRequest { TownIds = { ids } },
                deadline: DateTime.UtcNow.Add(Deadline), cancellationToken: ct);
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            // Only the ids asked about, each with a name: a reply naming other towns says nothing of these.
            foreach (var town in reply.Towns)
                if (ids.Contains(town.Id) && !string.IsNullOrWhiteSpace(town.Name)) names[town.Id] = town.Name.Trim();
            return names;
        }
        catch (Exception ex) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("The town names were not needed any more.", ex, ct);
        }
        catch (Exception ex)
        {
            // Unreachable, too slow, refusing (token keys differ) or misconfigured: the sheet goes out with ids.
            logger.LogWarning("Catalog could not name {Count} towns for a route sheet: {Error}", ids.Count,
                ex is RpcException rpc ? $"{rpc.StatusCode} {rpc.Status.Detail}" : ex.Message);
            return null;
        }
    }
}
