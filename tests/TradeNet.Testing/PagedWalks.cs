namespace TradeNet.Testing;

/// <summary>What a paging hunt needs to begin a walk: its first page's URL, how it is named in a problem, how to read a
/// page, and the ids that match its filter as it begins.</summary>
public sealed record WalkStart(string First, string Label, Func<string, Task<HttpResponseMessage>> Get, Func<Task<List<string>>> Ids);

/// <summary>The walks of one paging hunt: at most three going at once, begun and stepped at random between the changes
/// the hunt makes (<see cref="PagedWalk"/>).</summary>
public sealed class PagedWalks(string name, Random random)
{
    public List<(PagedWalk Walk, List<string> Before)> All { get; } = [];
    public List<PagedWalk> Active { get; } = [];

    /// <summary>The items the walks going stand on: changing them tests where their Links go on from.</summary>
    public IEnumerable<string> Places => Active.Select(w => w.StandsOn).OfType<string>();

    /// <summary>The walkers' turn: a third of the time, while fewer than three go, a walk begins (<paramref name="begin"/>);
    /// else half of the time one going reads its next page. False: the turn is the hunt's, for a change.</summary>
    public async Task<bool> TakeTurnAsync(Func<WalkStart> begin)
    {
        if (Active.Count < 3 && random.Next(3) == 0)
        {
            var start = begin();
            var walk = new PagedWalk($"{name} walk {All.Count} ({start.Label})", start.First, start.Get);
            All.Add((walk, await start.Ids()));
            Active.Add(walk);
            return true;
        }
        if (Active.Count > 0 && random.Next(2) == 0)
        {
            var walk = Active[random.Next(Active.Count)];
            await walk.StepAsync();
            if (walk.Done) Active.Remove(walk);
            return true;
        }
        return false;
    }

    /// <summary>Ends every walk still going and answers every problem found (<see cref="PagedWalk.FinishAsync"/>).</summary>
    public Task<List<string>> FinishAsync() => PagedWalk.FinishAsync(Active, All);

    public int Pages => All.Sum(w => w.Walk.Pages);
}
