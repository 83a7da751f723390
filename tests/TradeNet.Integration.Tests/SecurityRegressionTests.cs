using System.Net;
using System.Text;
using System.Text.Json;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests;

/// <summary>Findings of the security review of 2026-12-05, through the real gateway and standalone host: each failed before
/// its fix. Then guards of the review of 2026-12-06 (what an attacker tried that held): each fails if the refusal it
/// checks goes.</summary>
public sealed class SecurityRegressionTests(StandaloneTradeNet tradeNet) : IClassFixture<StandaloneTradeNet>
{
    /// <summary>The edge keeps a key's identity for Gateway:ApiKeyCache:Valid (30 s by default): without asking the catalog about a
    /// rotation's key, a thief's revoked key rotated again and left the thief holding the town's only valid key.</summary>
    [Fact]
    public async Task A_key_revoked_by_an_operator_cannot_rotate_itself_back_into_control()
    {
        await tradeNet.ExplainFailureAsync(async () =>
        {
            var flow = new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey);
            var town = await flow.RegisterTown("Ambierle", "42003", 46.10475, 3.89334);
            using var thief = new TradeNetClient(tradeNet.Gateway, town.ApiKey);
            using var ops = flow.Operator();
            await thief.Get("/api/logistics/vehicles"); // the leaked key in use: this edge now caches its identity

            var issued = (await ops.Post($"/api/catalog/towns/{town.Id}/api-key", null, HttpStatusCode.OK)).GetProperty("apiKey").GetString()!;
            var thiefRotates = await thief.Send(HttpMethod.Post, $"/api/catalog/towns/{town.Id}/api-key");
            using var owner = new TradeNetClient(tradeNet.Gateway, issued);
            var ownerAfter = await owner.Send(HttpMethod.Get, "/api/logistics/vehicles");

            Assert.True(thiefRotates.StatusCode == HttpStatusCode.Unauthorized,
                $"the revoked key rotated the town's key again: {(int)thiefRotates.StatusCode} {await thiefRotates.Content.ReadAsStringAsync()}");
            Assert.Equal(HttpStatusCode.OK, ownerAfter.StatusCode);
        });
    }

    /// <summary>Each edge kept a key's identity for Gateway:ApiKeyCache:Valid (30 s by default, ten minutes in this host)
    /// and nothing told it of a rotation it did not carry, so a key rotated away went on working there until the cache ran
    /// out. The edge now follows the catalog's revoked-key feed (every 2 s).</summary>
    [Fact]
    public async Task A_key_an_operator_rotated_away_is_refused_within_seconds_by_the_edge_that_had_cached_it()
    {
        await tradeNet.ExplainFailureAsync(async () =>
        {
            var flow = new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey);
            var town = await flow.RegisterTown("Saint-Alban-les-Eaux", "42198", 46.00556, 3.93085);
            using var thief = new TradeNetClient(tradeNet.Gateway, town.ApiKey);
            using var ops = flow.Operator();
            await thief.Get("/api/logistics/vehicles"); // the leaked key in use: this edge now caches its identity

            // Through this same edge, but under the operator's key: the edge forgets no town key for it, only the feed can.
            var issued = (await ops.Post($"/api/catalog/towns/{town.Id}/api-key", null, HttpStatusCode.OK)).GetProperty("apiKey").GetString()!;

            await Eventually.Until(() => thief.Send(HttpMethod.Get, "/api/logistics/vehicles"),
                r => r.StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10), "the rotated key refused at the edge");
            using var owner = new TradeNetClient(tradeNet.Gateway, issued);
            await owner.Get("/api/logistics/vehicles");
        });
    }

    /// <summary>The unknown-field 400 repeated the client's field name verbatim: bidi overrides, HTML, any length.</summary>
    [Fact]
    public async Task An_unknown_field_name_is_not_echoed_with_bidi_controls_html_or_unbounded_length()
    {
        await tradeNet.ExplainFailureAsync(async () =>
        {
            using var anonymous = new HttpClient { BaseAddress = tradeNet.Gateway };
            var field = "\u202Egnp.exe<img src=x onerror=alert(1)>" + new string('A', 100_000);
            var body = JsonSerializer.Serialize(new Dictionary<string, object> { [field] = 1 });

            var response = await anonymous.PostAsync("/api/catalog/towns", new StringContent(body, Encoding.UTF8, "application/json"));
            var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.DoesNotContain('\u202E', detail);
            Assert.DoesNotContain("<img", detail);
            Assert.True(detail.Length < 1_000, $"the detail is {detail.Length} characters long");
        });
    }

    /// <summary>A validation problem written for a client whose Accept leaves JSON out lost its per-field "errors".</summary>
    [Fact]
    public async Task A_validation_problem_keeps_its_errors_when_Accept_leaves_JSON_out()
    {
        await tradeNet.ExplainFailureAsync(async () =>
        {
            var flow = new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey);
            var town = await flow.RegisterTown("Saint-Haon-le-Vieux", "42233", 46.07327, 3.90187);
            var json = await town.Client.Send(HttpMethod.Post, "/api/catalog/listings", new { kind = "offer", category = "cheese", quantity = -1 });
            var html = await town.Client.Send(HttpMethod.Post, "/api/catalog/listings", new { kind = "offer", category = "cheese", quantity = -1 },
                ("Accept", "text/html"));

            var asJson = JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement;
            var asHtml = JsonDocument.Parse(await html.Content.ReadAsStringAsync()).RootElement;
            Assert.True(asJson.TryGetProperty("errors", out _));
            Assert.True(asHtml.TryGetProperty("errors", out _), $"no errors with Accept: text/html: {asHtml}");
        });
    }

    /// <summary>Guard: the backup routes are operators' under every spelling of their path the edge forwards (case, a
    /// trailing slash or dot, dot segments, an encoded letter) and every method: a town's key or none gets a refusal,
    /// never a backup, a listing or a 5xx.</summary>
    [Fact]
    public async Task No_spelling_of_a_backup_path_lets_a_town_or_an_anonymous_caller_take_or_list_backups()
    {
        await tradeNet.ExplainFailureAsync(async () =>
        {
            var flow = new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey);
            var town = await flow.RegisterTown("Vivans", "42337", 46.1814, 3.9385);
            string[] paths =
            [
                "/api/catalog/backups", "/api/catalog/backups/", "/API/CATALOG/BACKUPS", "/api/catalog/Backups/.", "/api/catalog/./backups",
                "/api/catalog/x/../backups", "/api/catalog/%2e%2e/catalog/backups", "/api/catalog/%62ackups", "/api/catalog/backups?limit=1",
                "/api/matching/Backups/", "/api/matching/x/../backups", "/api/logistics/BACKUPS", "/api/logistics/%62ackups/",
            ];
            var folder = Path.Combine(tradeNet.DataDir, "backups");
            var before = Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder).Length : 0;
            using var http = new HttpClient();
            var answers = new List<string>();
            foreach (var key in new[] { null, town.ApiKey })
                foreach (var method in new[] { HttpMethod.Post, HttpMethod.Get, HttpMethod.Head, HttpMethod.Options, HttpMethod.Put })
                    foreach (var path in paths)
                    {
                        // As sent: HttpClient would otherwise resolve the dot segments and decode nothing of the rest.
                        using var request = new HttpRequestMessage(method, new Uri(tradeNet.Gateway.GetLeftPart(UriPartial.Authority) + path,
                            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
                        if (key is not null) request.Headers.Add("X-Api-Key", key);
                        using var response = await http.SendAsync(request);
                        var status = (int)response.StatusCode;
                        if (status is not (400 or 401 or 403 or 404 or 405))
                            answers.Add($"{(key is null ? "anonymous" : "town")} {method} {path}: {status} {await response.Content.ReadAsStringAsync()}");
                    }

            Assert.True(answers.Count == 0, string.Join("\n", answers));
            Assert.Equal(before, Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder).Length : 0);
        });
    }
}
