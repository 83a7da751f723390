using System.Text.Json;
using System.Text.RegularExpressions;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>What the suspended town (the access world's A) must get on one route while a gateway still trusts its key,
/// and why (the doc that says so). <see cref="Early"/>: the target is prepared before the suspension (it needs A's key).</summary>
public sealed record WindowRow(string Route, int Status, string Why, bool Early = false, Func<AccessWorld, SuspensionWindow, Task<AccessTarget>>? Target = null)
{
    public bool Allowed => Status is >= 200 and < 300;
}

/// <summary>
/// The window between an operator's suspension and a gateway's next read of the revoked-key feed: the suspended town's
/// cached key still passes the edge, so each service must refuse it from its own record of the suspension. Every
/// mutating route of the access matrix has a row (checked), targets from <see cref="AccessScenes"/> where A owns them,
/// A's own proposal with O where the matrix's proposals belong to other towns.
/// </summary>
public sealed class SuspensionWindow(AccessWorld world, AccessMatrix matrix)
{
    // Order matters as in the access matrix (a report's target is the shipment or stop the reports before it left), but
    // for the rotation, last.
    public static readonly WindowRow[] Rows =
    [
        new("POST /api/catalog/towns", 201, "registration is anyone's, key or none (catalog.md): the suspended town's key adds nothing, and a lookalike of it is refused (409) with or without one"),
        new("PUT /api/catalog/towns/{id}", 403, "catalog.md: a suspended town cannot change itself (an operator still can)"),
        new("POST /api/catalog/listings", 403, "catalog.md: a suspended town does not publish"),
        new("PUT /api/catalog/listings/{id}", 403, "catalog.md: a suspended town does not change listings (none may reopen)", Early: true),
        new("DELETE /api/catalog/listings/{id}", 403, "catalog.md: a suspended town does not withdraw either: the board stays as the suspension left it for operators to review", Early: true),
        new("POST /api/matching/rounds", 403, "operators only, as for any town"),
        new("POST /api/matching/trades/{id}/accept", 409, "catalog.md: the suspension withdrew the listings of its proposals, so matching cancelled them: nothing is left to answer",
            Target: (w, s) => s.Proposal("accept")),
        new("POST /api/matching/trades/{id}/reject", 409, "as for accept: the proposal is cancelled", Target: (w, s) => s.Proposal("reject")),
        new("POST /api/matching/trades/{id}/legs/{index}/accept", 409, "as for accept: the proposal is cancelled",
            Target: (w, s) => s.Proposal($"legs/{s.LegOfA}/accept")),
        new("POST /api/matching/trades/{id}/legs/{index}/reject", 409, "as for accept: the proposal is cancelled",
            Target: (w, s) => s.Proposal($"legs/{s.LegOfA}/reject")),
        new("POST /api/matching/trades/{id}/cancel", 403, "operators only, as for any town"),
        new("POST /api/logistics/vehicles", 403, "logistics README: a suspended town registers no vehicle"),
        new("PUT /api/logistics/vehicles/{id}", 404, "logistics README: the suspension withdrew the town's vehicles as DELETE does (a vehicle left would be 403)", Early: true),
        new("DELETE /api/logistics/vehicles/{id}", 404, "as for PUT: the suspension withdrew it already", Early: true),
        new("POST /api/logistics/routes/{id}/replan", 403, "operators only, as for any town"),
        new("POST /api/logistics/plans", 403, "operators only, as for any town"),
        new("POST /api/logistics/shipments/{id}/pickup", 200, "operations.md: agreed trades are not touched, goods may be on the road; a carrier's reports of goods of those trades say what happened to them"),
        new("POST /api/logistics/shipments/{id}/delivery", 200, "as for pickup: goods of an agreed trade reaching their town, with the receiving town's code"),
        new("POST /api/logistics/shipments/{id}/failure", 200, "as for pickup: a failed trip of goods it carried is reported so they are planned again"),
        new("POST /api/logistics/transfers/{id}/release", 403, "operators only, as for any town"),
        new("POST /api/logistics/routes/{id}/stops/{sequence}/done", 200, "as for pickup: the carrier's stop report"),
        new("POST /api/logistics/routes/{id}/stops/{sequence}/failure", 200, "as for pickup: the carrier's stop report"),
        new("POST /api/catalog/towns/{id}/suspension", 403, "operators only, as for any town"),
        new("POST /api/catalog/backups", 403, "operators only, as for any town (operations.md, \"Backups and restore\")"),
        new("POST /api/matching/backups", 403, "operators only, as for any town"),
        new("POST /api/logistics/backups", 403, "operators only, as for any town"),
        new("DELETE /api/catalog/backups/{id}", 403, "operators only, as for any town (operations.md, \"Backups and restore\")"),
        new("DELETE /api/matching/backups/{id}", 403, "operators only, as for any town"),
        new("DELETE /api/logistics/backups/{id}", 403, "operators only, as for any town"),
        new("DELETE /api/catalog/towns/{id}/suspension", 403, "operators only: a town cannot lift a suspension",
            Target: (w, _) => Task.FromResult(new AccessTarget($"/api/catalog/towns/{w.A.Id}/suspension", w.A, null)
            {
                Probe = async () => (await w.Ops.Get($"/api/catalog/towns/{w.A.Id}")).GetRawText(),
            })),
        // Last: the gateway checks a rotation's key with catalog, which refuses a suspended town's, and the gateway then
        // drops the key from its cache, closing the window for every later call.
        new("POST /api/catalog/towns/{id}/api-key", 401, "catalog.md: a suspended town gets no key by rotation; gateways check a rotation's key with catalog, which refuses it — and that gateway forgets the key at once"),
    ];

    private Proposal _proposal = null!;
    public int LegOfA => _proposal.OwnerLeg;
    public List<string> Failures { get; } = [];
    public List<string> Table { get; } = [];

    private readonly Dictionary<string, AccessTarget> _early = [];

    /// <summary>Gives A an open proposal with O (its own listings, open), and the targets that need A's key.</summary>
    public async Task PrepareAsync()
    {
        var trade = (await world.ProposeAsync([(8, world.A, world.O)]))[0];
        _proposal = new Proposal(trade.GetProperty("id").GetString()!, world.A, world.O, AccessWorld.Gives(trade, world.A.Id)!.Value);
        await world.RefreshHandoverCodesAsync();
        foreach (var row in Rows.Where(r => r.Early)) _early[row.Route] = await AccessScenes.All[row.Route].Prepare(world, 0);
    }

    public string ProposalId => _proposal.TradeId;

    public Task<AccessTarget> Proposal(string action) => Task.FromResult(new AccessTarget($"/api/matching/trades/{_proposal.TradeId}/{action}", world.A, world.O)
    {
        Probe = async () => (await world.Ops.Get($"/api/matching/trades/{_proposal.TradeId}")).GetRawText(),
    });

    /// <summary>Sends each row's call with A's key and compares the answer; a refusal must be ProblemDetails and leave its
    /// target as it was.</summary>
    public async Task RunAsync()
    {
        foreach (var row in Rows)
        {
            try
            {
                var target = _early.TryGetValue(row.Route, out var early) ? early
                    : row.Target is { } custom ? await custom(world, this)
                    : await AccessScenes.All[row.Route].Prepare(world, 0);
                var before = Untraced(await target.Probe());
                var (status, body, problem) = await matrix.SendAsync(new HttpMethod(row.Route.Split(' ')[0]), target, Caller.Owner);
                Table.Add($"{row.Route,-58} {status} (expected {row.Status}): {row.Why}");
                var what = $"{row.Route} as the suspended town (target {target.Path})";
                matrix.CheckSecrets(what, Caller.Owner, target, body);
                if (status != row.Status)
                    Failures.Add($"{what}: expected {row.Status}, got {status}: {Excerpt(body)}");
                else if (!row.Allowed && !problem)
                    Failures.Add($"{what}: {status} without a ProblemDetails body: {Excerpt(body)}");
                else if (row.Allowed)
                    await target.Allowed(Caller.Owner, world.A.Id, body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone());
                if (!row.Allowed && Untraced(await target.Probe()) is var after && after != before)
                    Failures.Add($"{what}: answered {status}, yet the target changed:\nbefore: {Excerpt(before, 600)}\nafter:  {Excerpt(after, 600)}");
                if (status == 403 && row.Status == 403 && !row.Why.StartsWith("operators only") && !body.Contains("suspended"))
                    Failures.Add($"{what}: the 403 does not name the suspension: {Excerpt(body)}");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Failures.Add($"{row.Route}: could not run its row: {e.Message}");
            }
        }
    }

    // A 404's ProblemDetails carries its request's trace id: the same answer reads differently each time.
    private static string Untraced(string probe) => Regex.Replace(probe, "\"traceId\":\"[^\"]*\"", "");

    private static string Excerpt(string text, int length = 300) => text.Length <= length ? text : text[..length] + "…";
}
