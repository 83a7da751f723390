using System.Text.Json;
using System.Text.RegularExpressions;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// Runs every GET route of <see cref="ReadMatrixTable"/> against its targets in <see cref="AccessWorld"/>, as every
/// <see cref="Caller"/>, through <see cref="AccessMatrix.SendAsync"/>. A refused caller must get its status as
/// ProblemDetails; an allowed one a 200 showing only what the docs let it see: no secret that is not its own
/// (<see cref="AccessMatrix.CheckSecrets"/>), no key material of anyone, a paging link only after an id it was shown,
/// and the scene's own checks (lists narrowed to the caller, handover codes, suspension reasons).
/// </summary>
public sealed partial class ReadMatrix(AccessMatrix matrix, AccessWorld world, string carriedTrade)
{
    public List<string> Failures => matrix.Failures;

    public async Task RunAsync()
    {
        foreach (var (route, expected) in ReadMatrixTable.Routes)
        {
            try
            {
                foreach (var target in await ReadScenes.All[route].Targets(world))
                    await RunTargetAsync(route, target, expected);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Failures.Add($"{route}: could not run its row: {e.Message}");
            }
        }
        await RunAfterProbesAsync();
        await RunCarrierProbesAsync();
    }

    /// <summary>A, only the carrier of <c>carriedTrade</c> (B with C): the trade, its cost and transfers 404 (logistics.md:
    /// "a carrier of one of its legs only: 404"); its shipments readable, without their handover codes.</summary>
    private async Task RunCarrierProbesAsync()
    {
        foreach (var path in new[] { $"/api/matching/trades/{carriedTrade}", $"/api/logistics/trades/{carriedTrade}/cost", $"/api/logistics/trades/{carriedTrade}/transfers" })
        {
            var (status, body, _) = await matrix.SendAsync(HttpMethod.Get, new AccessTarget(path, world.A, world.B), Caller.Owner);
            if (status != 404) Failures.Add($"GET {path} as A, only the trade's carrier: expected 404, got {status}: {AccessMatrix.Excerpt(body)}");
        }
        var list = new AccessTarget($"/api/logistics/shipments?trade={carriedTrade}", world.A, world.B);
        var (listed, shipments, _) = await matrix.SendAsync(HttpMethod.Get, list, Caller.Owner);
        var what = $"GET {list.Path} as A, only the trade's carrier";
        matrix.CheckSecrets(what, Caller.Owner, list, shipments);
        var count = listed == 200 ? JsonDocument.Parse(shipments).RootElement.GetArrayLength() : -1;
        if (count != 2 || shipments.Contains("\"handoverCode\":\"", StringComparison.Ordinal))
            Failures.Add($"{what}: expected its 2 shipments without handover codes, got {listed}: {AccessMatrix.Excerpt(shipments)}");
    }

    /// <summary>`after` must be an id the caller may read, "the same for another town's [item] as for none" (docs): the
    /// outsider paging after A's van, shipment or trade must get what it gets after an id that is nobody's.</summary>
    private async Task RunAfterProbesAsync()
    {
        var shipment = (await world.Shipments(world.TradeAB))[0].GetProperty("id").GetString();
        var nobody = Guid.NewGuid().ToString();
        foreach (var (path, theirs) in new[]
                 {
                     ("/api/logistics/vehicles", world.VanOfA), ("/api/logistics/shipments", shipment), ("/api/matching/trades", world.TradeAB),
                 })
        {
            var (foreign, foreignBody, _) = await matrix.SendAsync(HttpMethod.Get, new AccessTarget($"{path}?after={theirs}", world.A, world.B), Caller.Outsider);
            var (none, noneBody, _) = await matrix.SendAsync(HttpMethod.Get, new AccessTarget($"{path}?after={nobody}", world.A, world.B), Caller.Outsider);
            if (foreign != none || foreign == 200 || Title(foreignBody) != Title(noneBody))
                Failures.Add($"GET {path}?after= as {Caller.Outsider}: another town's id answers {foreign} {AccessMatrix.Excerpt(foreignBody)}, " +
                    $"nobody's {none} {AccessMatrix.Excerpt(noneBody)}: the answer tells them apart");
        }
        // With the Link's cursor (logistics.md, matching README: afterHome, afterCreated) `after` is not looked up: a page of
        // the caller's own items after that place, the same whether the id is A's or nobody's.
        var future = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds();
        foreach (var (path, theirs, cursor) in new[]
                 {
                     ("/api/logistics/vehicles", world.VanOfA, $"afterHome={world.A.Id}"), ("/api/matching/trades", world.TradeAB, $"afterCreated={future}"),
                 })
        {
            var (foreign, foreignBody, _) = await matrix.SendAsync(HttpMethod.Get, new AccessTarget($"{path}?after={theirs}&{cursor}", world.A, world.B), Caller.Outsider);
            var (none, noneBody, _) = await matrix.SendAsync(HttpMethod.Get, new AccessTarget($"{path}?after={nobody}&{cursor}", world.A, world.B), Caller.Outsider);
            if (foreign != 200 || none != 200 || foreignBody != noneBody || foreignBody.Contains(theirs, StringComparison.Ordinal))
                Failures.Add($"GET {path}?after=…&{cursor} as {Caller.Outsider}: another town's id answers {foreign} {AccessMatrix.Excerpt(foreignBody)}, " +
                    $"nobody's {none} {AccessMatrix.Excerpt(noneBody)}: expected the same page of its own items");
        }
    }

    private static string? Title(string body)
    {
        try { return JsonDocument.Parse(body).RootElement.GetProperty("title").GetString(); }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { return body; }
    }

    private async Task RunTargetAsync(string route, AccessTarget target, IReadOnlyDictionary<Caller, Expect> expected)
    {
        foreach (var caller in AccessMatrixTable.Columns)
        {
            if (expected[caller] == Expect.NotApplicable || AccessMatrix.IsNotApplicable(target, caller)) continue;
            var (status, body, problem) = await matrix.SendAsync(HttpMethod.Get, target, caller);
            var link = matrix.LastLink;
            var what = $"{route} as {caller} ({target.Path})";
            matrix.CheckSecrets(what, caller, target, body);
            if (expected[caller] != Expect.Allowed)
            {
                if (!AccessMatrix.Matches(expected[caller], status))
                    Failures.Add($"{what}: expected {AccessMatrix.Describe(expected[caller])}, got {status}: {AccessMatrix.Excerpt(body)}");
                else if (!problem)
                    Failures.Add($"{what}: {status} without a ProblemDetails body: {AccessMatrix.Excerpt(body)}");
                continue;
            }
            if (status != 200)
            {
                Failures.Add($"{what}: expected 200, got {status}: {AccessMatrix.Excerpt(body)}");
                continue;
            }
            var answer = new ReadAnswer(caller, matrix.KeyTown(target, caller), target, body, link);
            try
            {
                foreach (var found in Problems(answer, ReadScenes.All[route]))
                    Failures.Add($"{what}: {found}: {AccessMatrix.Excerpt(body)}");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Failures.Add($"{what}: could not check the answer: {e.Message}: {AccessMatrix.Excerpt(body)}");
            }
        }
    }

    private static IEnumerable<string> Problems(ReadAnswer answer, ReadScene scene)
    {
        var json = answer.Target.Path.Contains("/sheet.", StringComparison.Ordinal) ? (JsonElement?)null : answer.Json;
        if (json is { } root)
            foreach (var name in PropertyNames(root).Where(n => n.Contains("hash", StringComparison.OrdinalIgnoreCase)
                         || n.Equals("apiKey", StringComparison.OrdinalIgnoreCase)).Distinct())
                yield return $"shows key material ('{name}')";
        // A next link may only continue after the last item the caller was shown.
        if (answer.Link is { } link)
        {
            var after = AfterParameter().Match(link) is { Success: true } m ? Uri.UnescapeDataString(m.Groups[1].Value) : null;
            var last = json is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() > 0 ? list[list.GetArrayLength() - 1].GetProperty("id").ToString() : null;
            if (after is null || after != last) yield return $"pages on after '{after}', not after the last item shown ('{last}'): {link}";
        }
        if (scene.Check is { } check)
            foreach (var found in check(answer)) yield return found;
    }

    private static IEnumerable<string> PropertyNames(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => PropertyNames(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(PropertyNames),
        _ => [],
    };

    [GeneratedRegex("[?&]after=([^&>]+)")]
    private static partial Regex AfterParameter();
}
