using System.Net;
using System.Text.Json;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>What the routes read back about the network, as an operator sees it: towns, listings, trades, rounds,
/// matching's book, vehicles, shipments, transfers and routes, each list as the JSON served (the bad-input hunt and the
/// access matrix both check with it that a refused request wrote nothing). Two reads are compared
/// list by list, so a refused request that wrote something shows as the list it changed.</summary>
public sealed record StoredState(IReadOnlyDictionary<string, string> Lists)
{
    /// <summary>The lists every reader compares, then <paramref name="morePaths"/> (a hunt's own towns' listings,
    /// routes…), read at once.</summary>
    public static async Task<StoredState> ReadAsync(TradeNetClient ops, IEnumerable<string> morePaths)
    {
        var paths = new List<string>
        {
            "/api/catalog/towns?limit=1000", "/api/matching/trades?limit=1000", "/api/matching/rounds?limit=500",
            "/api/matching/book?limit=1000", "/api/logistics/vehicles?limit=1000", "/api/logistics/shipments?limit=1000",
        };
        paths.AddRange(new[] { "pending", "planned", "held", "cancelled", "delivered" }.Select(s => $"/api/logistics/transfers?status={s}&limit=1000"));
        paths.AddRange(morePaths);
        var lists = await Task.WhenAll(paths.Distinct(StringComparer.Ordinal).Select(async path => (path, text: await ReadAllAsync(ops, path))));
        return new StoredState(lists.ToDictionary(l => l.path, l => l.text, StringComparer.Ordinal));
    }

    public static Task<StoredState> ReadAsync(TradeNetClient ops, BadInputWorld world) =>
        ReadAsync(ops, world.Towns.Select(t => $"/api/catalog/listings?town={t}&limit=1000").Concat(world.Routes.Select(r => $"/api/logistics/routes/{r}")));

    /// <summary>The lists that differ from <paramref name="before"/>, each with where it first differs.</summary>
    public IEnumerable<string> ChangesSince(StoredState before) =>
        from path in Lists.Keys.Union(before.Lists.Keys)
        let now = Lists.GetValueOrDefault(path) ?? ""
        let was = before.Lists.GetValueOrDefault(path) ?? ""
        where now != was
        select $"{path} changed: {FirstDifference(was, now)}";

    private static string FirstDifference(string was, string now)
    {
        var at = 0;
        while (at < was.Length && at < now.Length && was[at] == now[at]) at++;
        var from = Math.Max(0, at - 80);
        return $"was …{Cut(was, from)}…, now …{Cut(now, from)}…";

        static string Cut(string s, int from) => from >= s.Length ? "" : s.Substring(from, Math.Min(240, s.Length - from));
    }

    /// <summary>Every page, following <c>Link: next</c>; a single object as it is.</summary>
    private static async Task<string> ReadAllAsync(TradeNetClient ops, string path)
    {
        var parts = new List<string>();
        for (string? next = path; next is not null;)
        {
            using var response = await ops.Send(HttpMethod.Get, next);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK) throw new Xunit.Sdk.XunitException($"GET {next}: {(int)response.StatusCode} {text}");
            parts.Add(text);
            next = response.Headers.TryGetValues("Link", out var links) && links.Single() is var link && link.Contains("rel=\"next\"", StringComparison.Ordinal)
                ? link[(link.IndexOf('<') + 1)..link.IndexOf('>')] : null;
        }
        return string.Join("\n", parts);
    }
}
