using System.Globalization;
using TradeNet.Integration.Tests.Infrastructure;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>Towns trading at random through several actors at once (<see cref="RandomTrading"/>; eight towns and four
/// actors unless <see cref="RandomTradingOptions"/> say otherwise), then the services' records checked against each other
/// (<see cref="ConsistencyAudit"/>).</summary>
public static class RandomTradingScenario
{
    /// <param name="chaos">Takes services and the broker down while the actors trade (<see cref="Chaos"/>), then waits for
    /// everything to be back and drained before the deliveries, and adds its own checks to the audit's.</param>
    public static async Task<RandomTrading> RunAsync(ITradeNetUnderTest tradeNet, int seed, RandomTradingOptions? options = null,
        Chaos? chaos = null)
    {
        options ??= new RandomTradingOptions();
        if (chaos is not null) options = options with { Outages = chaos.Outages };
        var flow = new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey);
        // Categories of their own (scenarios 12 and 13), so no other scenario's listings join these trades.
        var (a, b) = await flow.Categories(12);
        var (c, d) = await flow.Categories(13);
        // Whole pieces: the pieces among scenarios 7 and 9's pairs, which no other scenario uses (pottery, as the
        // catalog lists its categories now).
        var pieces = await flow.PieceCategoriesOf(7, 9);
        Assert.True(!options.WholePieces || pieces.Count > 0, "No category counted in pieces is left for random trading.");
        var trading = new RandomTrading(flow, [a, b, c, d], pieces, seed, options);
        await trading.RegisterTownsAsync();
        await trading.PublishStartingBookAsync();

        if (chaos is null) await trading.RunAsync();
        else
        {
            await chaos.RunAsync(trading.RunAsync());
            await chaos.SettleAsync();
            trading.AuditNotes.AddRange(chaos.Log);
        }
        await trading.DeliverHalfAsync();

        Assert.True(trading.Places.Problems.Count == 0, string.Join("\n", trading.Places.Problems));
        Assert.True(trading.UnexpectedAnswers.Count == 0, "Unexpected answers:\n" +
            string.Join("\n", trading.UnexpectedAnswers.Select(u => $"{u.Action}: {(int)u.Status} {u.Body}")) + "\n" + Summary(trading));
        using var ops = flow.Operator();
        var towns = trading.Towns.Select(t => t.Id).Concat(trading.Depot is { } depot ? [depot] : []).ToList();
        // Over a broker, the audit's minute starts once the network has drained (every outbox and every queue empty): a
        // minute from the last action could not tell a network running behind on a loaded machine from one that
        // disagrees. A backlog that never drains fails here, saying what it holds; what a drained network still
        // disagrees on after a minute (the expiry sweep's and reservation retry's 15 s ticks) stays so.
        if (tradeNet is DistributedTradeNet distributed) trading.AuditNotes.Add(await Backlog.WaitDrainedAsync(distributed, TimeSpan.FromMinutes(10)));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        IReadOnlyList<string> problems;
        var started = DateTime.UtcNow;
        var passes = 1;
        while ((problems = await ConsistencyAudit.CheckAsync(ops, towns, trading.Places)).Count > 0 && DateTime.UtcNow < deadline)
        {
            // What settles late is worth seeing even when it does settle: the first pass's disagreements, kept.
            if (passes++ == 1) trading.AuditNotes.AddRange(problems.Take(5));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        trading.AuditNotes.Add(string.Create(CultureInfo.InvariantCulture, $"audit: {passes} pass(es), {(DateTime.UtcNow - started).TotalSeconds:F0} s"));
        trading.AuditNotes.Add($"trades agreed when a town of theirs moved: {trading.Places.AgreedBeforeAMove.Count}");
        if (problems.Count == 0) problems = RunBackups.ManifestProblems(tradeNet, trading.Backups);
        if (chaos is not null)
        {
            await chaos.NoteOutcomeAsync(ops, towns);
            trading.AuditNotes.Add(chaos.Log[^1]);
            // An event older than 10 s still unpublished is stuck: the relay publishes within a second when all is up.
            if (problems.Count == 0) problems = await chaos.PendingOutboxesAsync(TimeSpan.FromSeconds(10));
        }
        // A message a consumer gave up on waits in an _error queue for an operator: the audit may agree without its
        // effect (a round or a sweep covering for it), but it is an event some service never applied.
        if (problems.Count == 0 && tradeNet is DistributedTradeNet broker) problems = await Backlog.SetAsideAsync(broker.Rabbit);
        Assert.True(problems.Count == 0, "The services disagree:\n" + string.Join("\n", problems) + "\nAnswers: " + Summary(trading));
        // In a one-process host a backup is one cut of the three files: a host started on it tells one story too.
        if (tradeNet is StandaloneTradeNet standalone && trading.Backups.TryPeek(out var first) && chaos is null)
            trading.AuditNotes.Add(await RunBackups.RestoreAndAuditAsync(standalone, first, towns));
        return trading;
    }

    /// <summary><see cref="RunAsync"/> with the default options, its summary written to the test's output, and the run shown
    /// to have done what it is for: rounds proposed trades and towns agreed some.</summary>
    public static async Task RunAndCheckAsync(ITradeNetUnderTest tradeNet, int seed, Xunit.Abstractions.ITestOutputHelper output) =>
        await tradeNet.ExplainFailureAsync(async () =>
        {
            var trading = await RunAsync(tradeNet, seed);

            output.WriteLine(Summary(trading));
            Assert.Contains("round 201", trading.Answers.Keys);
            Assert.Contains("accept 200", trading.Answers.Keys);
        });

    public static string Summary(RandomTrading trading) =>
        string.Join(", ", trading.Answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} ×{a.Value}")) +
        "; slowest ms: " + string.Join(", ", trading.Slowest.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} {a.Value:F0}")) +
        (trading.AuditNotes.Count > 0 ? "\n" + string.Join("\n", trading.AuditNotes) : "");
}
