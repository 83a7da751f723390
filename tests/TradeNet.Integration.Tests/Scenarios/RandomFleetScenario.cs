using System.Globalization;
using TradeNet.Integration.Tests.Infrastructure;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>A fleet kept busy at random (<see cref="RandomFleet"/>), then logistics checked on its own
/// (<see cref="FleetAudit"/>) and against catalog and matching (<see cref="ConsistencyAudit"/>). Each run needs a
/// TradeNet of its own: a fleet makes every other scenario's legs wait for planning runs.</summary>
public static class RandomFleetScenario
{
    /// <summary>Settings for the host: rounds and runs short (many of each, each an answer well within the clients'
    /// timeouts), scheduled runs every 20 s beside the operators', and an operator's allowance the actors cannot spend.</summary>
    public static Dictionary<string, string> HostSettings(TimeSpan planningTimeLimit) => new()
    {
        ["Gateway__RateLimit__PermitsPerMinute"] = "100000",
        ["Matching__RoundTimeLimit"] = "00:00:03",
        ["Logistics__PlanningInterval"] = "00:00:20",
        ["Logistics__PlanningTimeLimit"] = planningTimeLimit.ToString("c", CultureInfo.InvariantCulture),
    };

    public static async Task<RandomFleet> RunAsync(ITradeNetUnderTest tradeNet, int seed, RandomFleetOptions? options = null)
    {
        var flow = new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey);
        var fleet = new RandomFleet(flow, seed, options ?? new RandomFleetOptions());
        await fleet.SetUpAsync();
        await fleet.RunAsync();
        using var ops = flow.Operator();
        // Once with the routes the actors left (many still to be driven: the rules on live routes bite), then after the
        // drain (everything ended: the rules on how legs end bite).
        await AgreeAsync(ops, fleet, "before the drain");
        await fleet.DrainAsync();
        await AgreeAsync(ops, fleet, "after the drain");
        return fleet;
    }

    private static async Task AgreeAsync(TradeNetClient ops, RandomFleet fleet, string when)
    {
        Assert.True(fleet.Calls.UnexpectedAnswers.Count == 0, "Unexpected answers:\n" +
            string.Join("\n", fleet.Calls.UnexpectedAnswers.Select(u => $"{u.Action}: {(int)u.Status} {u.Body}")) + "\n" + fleet.Summary());
        // Events in flight (pickups and deliveries reaching matching) settle within seconds.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var started = DateTime.UtcNow;
        var passes = 1;
        IReadOnlyList<string> problems;
        while ((problems = [.. fleet.Places.Problems, .. await FleetAudit.CheckAsync(ops, fleet), .. await ConsistencyAudit.CheckAsync(ops, fleet.AllTowns, fleet.Places)]).Count > 0
               && DateTime.UtcNow < deadline)
        {
            if (passes++ == 1) fleet.Notes.AddRange(problems.Take(5).Select(p => $"{when}: {p}"));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        fleet.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"audit {when}: {passes} pass(es), {(DateTime.UtcNow - started).TotalSeconds:F0} s; trades agreed when a town of theirs moved: {fleet.Places.AgreedBeforeAMove.Count}"));
        Assert.True(problems.Count == 0, $"The fleet's records do not add up {when}:\n" + string.Join("\n", problems) + "\nAnswers: " + fleet.Summary());
    }

    /// <summary>The run shown to have done what it is for: trades reached the fleet, which planned, carried, delivered,
    /// took back routes, and lost trades to cancellations.</summary>
    public static void AssertBusy(RandomFleet fleet)
    {
        var answers = fleet.Calls.Answers;
        int Count(string prefix) => answers.Where(a => a.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(a => a.Value);
        Assert.True(Count("plan 200") + Count("drain plan 200") > 3, "Too few planning runs: " + fleet.Summary());
        Assert.True(Count("pickup 200") + Count("drain pickup 200") + Count("stop done applied") >= 10, "Too few pickups: " + fleet.Summary());
        Assert.True(Count("delivery") + Count("drain delivery 200") >= 10, "Too few deliveries: " + fleet.Summary());
        Assert.True(Count("take back 200") > 0, "No route was taken back: " + fleet.Summary());
        Assert.True(Count("cancel planned 200") > 0, "No trade with planned shipments was cancelled: " + fleet.Summary());
    }
}
