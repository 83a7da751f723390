using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// Runs every mutating route of the three services' OpenAPI documents against its target in <see cref="AccessWorld"/>,
/// as every <see cref="Caller"/>, through the gateway, and compares each answer with <see cref="AccessMatrixTable"/>.
/// For each target the refused callers go first: each must get its 401/403/404 as ProblemDetails and leave the target
/// (as an operator reads it) unchanged, and the whole readable network must be unchanged after them all; then the
/// allowed callers must succeed. No answer may carry a secret (a key, a handover code, a suspension reason) that is not
/// the caller's, and none may be a 5xx.
/// </summary>
public sealed class AccessMatrix(Uri gateway, AccessWorld world)
{
    private readonly HttpClient _http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };
    public List<string> Failures { get; } = [];
    public int Calls { get; private set; }
    /// <summary>The Link header of the last answer (paging), if any.</summary>
    public string? LastLink { get; private set; }

    /// <summary>Mutating operations of the served documents, as "METHOD /path".</summary>
    public static Task<IReadOnlyList<string>> DocumentedMutationsAsync(Uri gateway) =>
        DocumentedAsync(gateway, m => m is "POST" or "PUT" or "PATCH" or "DELETE");

    /// <summary>A matrix's rows against the routes the documents list: a documented route without a row (someone must state
    /// who may call it), a row for a route no longer documented, or a row without a scene fails.</summary>
    public static void AssertRowsMatch<TScene>(IReadOnlyList<string> documented, IReadOnlyList<string> rows, string table,
        IReadOnlyDictionary<string, TScene> scenes, string scenesName, string verb = "call")
    {
        var unmapped = documented.Except(rows).ToList();
        var stale = rows.Except(documented).ToList();
        Assert.True(unmapped.Count == 0, $"Routes with no row in {table} (state who may {verb} them, and give them a scene in " +
            $"{scenesName}): {string.Join(", ", unmapped)}");
        Assert.True(stale.Count == 0, $"Rows in {table} for routes the services no longer document: {string.Join(", ", stale)}");
        Assert.DoesNotContain(rows, r => !scenes.ContainsKey(r));
    }

    /// <summary>Operations of the served documents whose method passes the filter, as "METHOD /path".</summary>
    public static async Task<IReadOnlyList<string>> DocumentedAsync(Uri gateway, Func<string, bool> method)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        var routes = new List<string>();
        foreach (var service in ApiDocs.Services)
        {
            var document = await ApiDocument.FetchAsync(http, service);
            routes.AddRange(document.Operations().Where(o => method(o.Method)).Select(o => $"{o.Method} {o.Path}"));
        }
        return routes;
    }

    public async Task RunAsync()
    {
        foreach (var (route, expected) in AccessMatrixTable.Routes)
        {
            try
            {
                await RunRouteAsync(route, expected);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Failures.Add($"{route}: could not run its row: {e.Message}");
            }
        }
    }

    private async Task RunRouteAsync(string route, IReadOnlyDictionary<Caller, Expect> expected)
    {
        var scene = AccessScenes.All[route];
        var method = new HttpMethod(route.Split(' ')[0]);
        var target = await scene.Prepare(world, 0);
        var before = await SettledSnapshotAsync();
        var probe = await target.Probe();
        foreach (var caller in AccessMatrixTable.Columns.Where(c => expected[c] is not (Expect.Allowed or Expect.NotApplicable)))
        {
            if (IsNotApplicable(target, caller)) continue;
            var (status, body, problem) = await SendAsync(method, target, caller);
            var what = $"{route} as {caller} (target {target.Path})";
            if (!Matches(expected[caller], status))
                Failures.Add($"{what}: expected {Describe(expected[caller])}, got {status}: {Excerpt(body)}");
            else if (!problem)
                Failures.Add($"{what}: {status} without a ProblemDetails body: {Excerpt(body)}");
            CheckSecrets(what, caller, target, body);
            if (await target.Probe() is var after && after != probe)
            {
                Failures.Add($"{what}: answered {status}, yet the target changed:\nbefore: {Excerpt(probe, 600)}\nafter:  {Excerpt(after, 600)}");
                probe = after; // blame the next caller only for what it changes
            }
        }
        if ((await SnapshotAsync()).ChangesSince(before).ToList() is { Count: > 0 } changes)
            Failures.Add($"{route}: the refused callers ({string.Join(", ", expected.Where(e => e.Value is not (Expect.Allowed or Expect.NotApplicable)).Select(e => e.Key))}) " +
                $"left the network changed: {string.Join("\n", changes)}");

        var targets = 0;
        foreach (var caller in AllowedOrder.Where(c => expected[c] == Expect.Allowed))
        {
            if (IsNotApplicable(target, caller)) continue;
            if (scene.TargetPerAllowedCaller && targets++ > 0) target = await scene.Prepare(world, targets - 1);
            var (status, body, _) = await SendAsync(method, target, caller);
            var what = $"{route} as {caller} (target {target.Path})";
            if (status is < 200 or > 299)
            {
                Failures.Add($"{what}: expected allowed, got {status}: {Excerpt(body)}");
                continue;
            }
            CheckSecrets(what, caller, target, body);
            try
            {
                await target.Allowed(caller, KeyTown(target, caller), body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone());
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Failures.Add($"{what}: {e.Message}: {Excerpt(body)}");
            }
        }
    }

    // Owner first (an allowed party or operator after it finds the thing done: a repeat, still allowed).
    private static readonly Caller[] AllowedOrder =
        [Caller.Owner, Caller.Party, Caller.Operator, Caller.Outsider, Caller.SpoofedHeaders, Caller.NoKey, Caller.ForgedToken];

    internal static bool IsNotApplicable(AccessTarget target, Caller caller) =>
        (caller == Caller.Party && target.Party is null) || (caller == Caller.Owner && target.Owner is null);

    /// <summary>One call as the caller, through the gateway; a 5xx is recorded in <see cref="Failures"/>.</summary>
    public async Task<(int Status, string Body, bool Problem)> SendAsync(HttpMethod method, AccessTarget target, Caller caller)
    {
        Calls++;
        using var request = new HttpRequestMessage(method, target.Path);
        if (target.Body(caller) is { } body) request.Content = JsonContent.Create(body);
        foreach (var (name, value) in target.Headers) request.Headers.TryAddWithoutValidation(name, value);
        if (KeyOf(target, caller) is { } key) request.Headers.TryAddWithoutValidation("X-Api-Key", key);
        if (caller is Caller.SpoofedHeaders or Caller.ForgedToken)
        {
            // Signed with the host's own internal key: were the edge to pass it on, the services would believe it.
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {TestSettings.TokenFor("spoofer", Roles.Operator)}");
            var owner = target.Owner?.Id ?? world.A.Id;
            foreach (var header in new[] { "X-Town-Id", "X-Forwarded-User", "X-TradeNet-Town", "X-TradeNet-Caller" })
                request.Headers.TryAddWithoutValidation(header, owner);
            request.Headers.TryAddWithoutValidation("X-Operator", "true");
            request.Headers.TryAddWithoutValidation("X-TradeNet-Role", Roles.Operator);
        }
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        LastLink = response.Headers.TryGetValues("Link", out var links) ? string.Join(", ", links) : null;
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" && IsProblem(text, (int)response.StatusCode);
        if ((int)response.StatusCode >= 500)
            Failures.Add($"{method} {target.Path} as {caller}: {(int)response.StatusCode}: {Excerpt(text)}");
        return ((int)response.StatusCode, text, problem);
    }

    private string? KeyOf(AccessTarget target, Caller caller) => caller switch
    {
        Caller.MalformedKey => "not a key",
        Caller.UnknownKey => "tn_" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        Caller.Owner => target.Owner!.ApiKey,
        Caller.Party => target.Party!.ApiKey,
        Caller.Outsider or Caller.SpoofedHeaders => world.O.ApiKey,
        Caller.Suspended => world.S.ApiKey,
        Caller.RotatedOldKey => world.OldKeyOfA,
        Caller.Operator => world.OperatorKey,
        _ => null,
    };

    /// <summary>The town the caller's key acts for (null: no key, an unknown, revoked or replaced one, or an operator's).</summary>
    internal string? KeyTown(AccessTarget target, Caller caller) => caller switch
    {
        Caller.Owner => target.Owner!.Id,
        Caller.Party => target.Party!.Id,
        Caller.Outsider or Caller.SpoofedHeaders => world.O.Id,
        _ => null,
    };

    public void CheckSecrets(string what, Caller caller, AccessTarget target, string body)
    {
        if (caller == Caller.Operator) return;
        var town = KeyTown(target, caller);
        foreach (var (secret, owner) in world.Secrets)
            if (owner != town && body.Contains(secret, StringComparison.Ordinal))
                Failures.Add($"{what}: the answer reveals {(owner is null ? "an operator's note" : $"a secret of {owner}")} ('{Excerpt(secret, 12)}…'): {Excerpt(body)}");
    }

    internal static bool Matches(Expect expected, int status) => expected switch
    {
        Expect.Unauthorized => status == 401,
        Expect.Forbidden => status == 403,
        Expect.NotFound => status == 404,
        Expect.Refused => status is 403 or 404,
        _ => false,
    };

    internal static string Describe(Expect expected) => expected switch
    {
        Expect.Unauthorized => "401",
        Expect.Forbidden => "403",
        Expect.NotFound => "404",
        Expect.Refused => "403 or 404",
        _ => expected.ToString(),
    };

    private static bool IsProblem(string text, int status)
    {
        try
        {
            var root = JsonDocument.Parse(text).RootElement;
            return root.TryGetProperty("status", out var s) && s.GetInt32() == status && root.TryGetProperty("title", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Everything an operator reads of the network; the same twice in a row once nothing is in flight.</summary>
    private Task<StoredState> SnapshotAsync() => StoredState.ReadAsync(world.Ops, ["/api/catalog/listings?limit=1000"]);

    private async Task<StoredState> SettledSnapshotAsync()
    {
        var last = await SnapshotAsync();
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline;)
        {
            await Task.Delay(150);
            var now = await SnapshotAsync();
            if (!now.ChangesSince(last).Any()) return now;
            last = now;
        }
        return last;
    }

    internal static string Excerpt(string text, int length = 300) => text.Length <= length ? text : text[..length] + "…";
}
