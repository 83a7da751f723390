using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace TradeNet.Testing;

/// <summary>
/// A client walking a paged list one page at a time by its <c>Link: rel="next"</c>, as the docs tell a user to, while the
/// test changes the data between pages. It records what it saw and what broke the paging promise: a page that is not 200,
/// a Link that is not relative to the same path, drops or changes the walk's query, or pages after anything but the last
/// item shown. <see cref="Verify"/> then checks the walk against what existed when it began: every item that matched the
/// filter then and was not touched during the walk appears exactly once, and no item appears twice.
/// </summary>
public sealed partial class PagedWalk(string name, string first, Func<string, Task<HttpResponseMessage>> get)
{
    private readonly Dictionary<string, string> _query = Query(first);
    private readonly string _path = first.Split('?')[0];

    public string Name => name;
    public List<string> Seen { get; } = [];
    public List<string> Problems { get; } = [];
    /// <summary>Ids created, changed, withdrawn or deleted while the walk went on: they may or may not appear.</summary>
    public HashSet<string> Touched { get; } = [];
    public string? Next { get; private set; } = first;
    public int Pages { get; private set; }
    public bool Done => Next is null;
    /// <summary>The item the walk's place is (the last one shown), while it goes on: the one to change to test its Link.</summary>
    public string? StandsOn => Done || Seen.Count == 0 ? null : Seen[^1];
    /// <summary>The last page read was empty though the one before linked to it.</summary>
    public bool EndedOnEmptyPage { get; private set; }

    /// <summary>Reads the next page; the item ids are read from each element's <c>id</c>.</summary>
    public async Task StepAsync()
    {
        if (Next is not { } url) return;
        using var response = await get(url);
        var body = await response.Content.ReadAsStringAsync();
        Pages++;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Problems.Add($"{name}: page {Pages} ({url}) answered {(int)response.StatusCode}: {body}");
            Next = null;
            return;
        }
        var ids = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.GetProperty("id").ToString()).ToList();
        Seen.AddRange(ids);
        EndedOnEmptyPage = ids.Count == 0 && Pages > 1;
        Next = response.Headers.TryGetValues("Link", out var links) ? CheckLink(string.Join(", ", links), url, ids) : null;
    }

    private string? CheckLink(string header, string url, List<string> ids)
    {
        var match = NextLink().Match(header);
        if (!match.Success)
        {
            Problems.Add($"{name}: page {Pages} ({url}) has a Link that is not one relative rel=\"next\": {header}");
            return null;
        }
        var link = match.Groups[1].Value;
        if (link.Split('?')[0] != _path) Problems.Add($"{name}: page {Pages} links to another path: {link}");
        var query = Query(link);
        foreach (var (key, value) in _query.Where(q => !q.Key.StartsWith("after", StringComparison.OrdinalIgnoreCase)))
            if (!query.TryGetValue(key, out var kept) || kept != value)
                Problems.Add($"{name}: page {Pages}'s Link drops or changes '{key}={value}': {link}");
        if (ids.Count == 0) Problems.Add($"{name}: page {Pages} ({url}) is empty yet links to a next one: {link}");
        else if (!query.TryGetValue("after", out var after) || after != ids[^1])
            Problems.Add($"{name}: page {Pages}'s Link pages after '{query.GetValueOrDefault("after")}', not its last item '{ids[^1]}': {link}");
        return link;
    }

    /// <summary>Checks the finished walk against the ids that matched its filter when it began.</summary>
    public void Verify(IEnumerable<string> before)
    {
        foreach (var twice in Seen.GroupBy(id => id).Where(g => g.Count() > 1))
            Problems.Add($"{name}: item {twice.Key} appears {twice.Count()} times{(Touched.Contains(twice.Key) ? " (it changed during the walk)" : "")}");
        var seen = Seen.ToHashSet();
        foreach (var missing in before.Where(id => !Touched.Contains(id) && !seen.Contains(id)))
            Problems.Add($"{name}: item {missing} matched and was left unchanged for the whole walk, yet no page showed it");
        // Nothing changed, so the page before the empty one was the last: it should have had no Link.
        if (EndedOnEmptyPage && Touched.Count == 0) Problems.Add($"{name}: the last page with items linked to an empty one");
    }

    /// <summary>Marks on every walk still going the items whose view differs between the two snapshots (id → view).</summary>
    public static void MarkTouched(IEnumerable<PagedWalk> active, IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var walks = active.ToList();
        foreach (var changed in before.Keys.Union(after.Keys).Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k)))
        foreach (var walk in walks) walk.Touched.Add(changed);
    }

    /// <summary>Walks what is still going to its end, checks each walk against what matched when it began, and answers
    /// every problem found.</summary>
    public static async Task<List<string>> FinishAsync(IEnumerable<PagedWalk> active, IEnumerable<(PagedWalk Walk, List<string> Before)> walks)
    {
        foreach (var walk in active)
            while (!walk.Done) await walk.StepAsync();
        var problems = new List<string>();
        foreach (var (walk, before) in walks)
        {
            walk.Verify(before);
            problems.AddRange(walk.Problems);
        }
        return problems;
    }

    private static Dictionary<string, string> Query(string url) =>
        QueryHelpers.ParseQuery(url.Contains('?') ? url[url.IndexOf('?')..] : "")
            .ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex("^<(/[^>]*)>; rel=\"next\"$")]
    private static partial Regex NextLink();
}
