using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Storage.Sqlite;
using TradeNet.Contracts.Grpc;
using TradeNet.Shared.Storage;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Catalog.Tests.StorageFaults;

/// <summary>The storage-fault hunt over catalog's mutating routes (docs/operations.md, "Storage-fault hunt"): each route
/// run fault-free counts its write's steps; then, from a fresh town of the same shape each time, every step and the
/// COMMIT fail in turn with a genuine SQLite error. The answer must be a 503 with Retry-After that names no internals,
/// every read (towns, listings, the caller's key, the revoked-key list, the outbox) as before, and the same request sent
/// again must answer as the fault-free run did and publish as many events.</summary>
public sealed class CatalogStorageFaultTests(CatalogFactory factory, ITestOutputHelper output) : IClassFixture<CatalogFactory>
{
    private sealed record Prepared(Func<Task<HttpResponseMessage>> Send, string? ApiKey);

    private static object Offer() => new PublishListingRequest("offer", "cheese", 10, 1);

    public static TheoryData<string> Routes() =>
        ["register town", "change town", "rotate key", "suspend town", "reinstate town", "publish listing", "change listing", "withdraw listing"];

    private async Task<Prepared> PrepareAsync(string route)
    {
        var ops = factory.ClientAs(TestSettings.OperatorAuth());
        if (route == "register town")
        {
            var key = Guid.NewGuid().ToString("N");
            var body = new RegisterTownRequest("Faulty town", 46.1, 4.1, null, ["cheese"]);
            return new(() => Send(factory.CreateClient(), HttpMethod.Post, "/api/catalog/towns", body, key), null);
        }
        var town = await factory.RegisterTownAsync();
        var id = town.Town.Id;
        var asTown = factory.ClientAs(TestSettings.TownAuth(id));
        switch (route)
        {
            case "change town":
                return new(() => Send(asTown, HttpMethod.Put, $"/api/catalog/towns/{id}", new { name = "Renamed", lat = 46.2, lon = 4.2, specialties = new[] { "wine" } }), town.ApiKey);
            case "rotate key":
                return new(() => Send(asTown, HttpMethod.Post, $"/api/catalog/towns/{id}/api-key", null), town.ApiKey);
            case "suspend town":
                await factory.PublishAsync(id, Offer());
                return new(() => Send(ops, HttpMethod.Post, $"/api/catalog/towns/{id}/suspension", new { reason = "fraud" }), town.ApiKey);
            case "reinstate town":
                Assert.Equal(HttpStatusCode.OK, (await Send(ops, HttpMethod.Post, $"/api/catalog/towns/{id}/suspension", new { reason = "fraud" })).StatusCode);
                return new(() => Send(ops, HttpMethod.Delete, $"/api/catalog/towns/{id}/suspension", null), town.ApiKey);
        }
        var key2 = Guid.NewGuid().ToString("N");
        if (route == "publish listing")
            return new(() => Send(asTown, HttpMethod.Post, "/api/catalog/listings", Offer(), key2), town.ApiKey);
        var listing = await factory.PublishAsync(id, Offer());
        return route switch
        {
            "change listing" => new(() => Send(asTown, HttpMethod.Put, $"/api/catalog/listings/{listing.Id}", new { quantity = 7 }), town.ApiKey),
            "withdraw listing" => new(() => Send(asTown, HttpMethod.Delete, $"/api/catalog/listings/{listing.Id}", null), town.ApiKey),
            _ => throw new ArgumentException(route),
        };
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, object? body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add(TradeNet.Shared.Hosting.IdempotencyKeys.Header, idempotencyKey);
        return client.SendAsync(request);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_route_whose_write_fails_at_any_step_answers_503_applies_nothing_and_succeeds_when_retried(string route)
    {
        var plan = new StorageFaultPlan(((SqliteCatalogStore)factory.Store).Database);

        var reference = await PrepareAsync(route);
        var (refPublished, _) = await QuietAsync();
        plan.Arm();
        var first = await reference.Send();
        var steps = plan.Disarm();
        Assert.True(first.IsSuccessStatusCode, $"{route} fault-free: {(int)first.StatusCode} {await first.Content.ReadAsStringAsync()}");
        var expected = StorageFaultAnswers.Masked(await first.Content.ReadAsStringAsync());
        var expectedEvents = (await QuietAsync()).Published - refPublished;
        Assert.NotEmpty(steps);
        output.WriteLine($"{route}: {steps.Count} steps: {string.Join(" | ", steps)}");

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            var prepared = await PrepareAsync(route);
            var (published, _) = await QuietAsync();
            var before = await SnapshotAsync(prepared.ApiKey);

            plan.Arm(step, code);
            var failed = await prepared.Send();
            plan.Disarm();
            var where = $"{route}, {plan.Failed ?? $"step {step} never reached (steps: {string.Join(" | ", steps)})"}";
            await StorageFaultAnswers.AssertUnavailableAsync(failed, where);
            StorageFaultAnswers.AssertSame(before, await SnapshotAsync(prepared.ApiKey), where);
            var (publishedAfter, backlog) = await QuietAsync();
            Assert.Equal((published, 0), (publishedAfter, backlog));

            var retried = await prepared.Send();
            Assert.True(first.StatusCode == retried.StatusCode, $"{where}: the retry answered {(int)retried.StatusCode} {await retried.Content.ReadAsStringAsync()}");
            Assert.Equal(expected, StorageFaultAnswers.Masked(await retried.Content.ReadAsStringAsync()));
            Assert.True(expectedEvents == (await QuietAsync()).Published - published, $"{where}: the retry published other events than the fault-free run");
        }
    }

    /// <summary>Everything an operator reads: every town (operator's view), every listing, the caller's key and the
    /// revoked-key list the gateway follows.</summary>
    private async Task<string> SnapshotAsync(string? apiKey)
    {
        var ops = factory.ClientAs(TestSettings.OperatorAuth());
        var towns = await ops.GetStringAsync("/api/catalog/towns?limit=1000");
        var listings = await ops.GetStringAsync("/api/catalog/listings?limit=1000");
        var grpc = factory.Grpc(TestSettings.ServiceAuth("gateway"));
        var revoked = (await grpc.GetRevokedKeysAsync(new GetRevokedKeysRequest { Limit = 1000 })).ToString();
        var key = "";
        if (apiKey is not null)
        {
            try { key = (await grpc.AuthenticateApiKeyAsync(new AuthenticateApiKeyRequest { ApiKey = apiKey })).ToString(); }
            catch (global::Grpc.Core.RpcException e) { key = e.StatusCode.ToString(); }
        }
        return string.Join("\n", towns, listings, revoked, key);
    }

    /// <summary>Waits until the outbox is empty; how many events the bus has seen.</summary>
    private async Task<(int Published, int Backlog)> QuietAsync()
    {
        var outbox = new TradeNet.Shared.Storage.Sqlite.SqliteOutboxStore(((SqliteCatalogStore)factory.Store).Database);
        var backlog = await Eventually.Until(async () => (await outbox.BacklogAsync(default)).Pending, n => n == 0,
            TimeSpan.FromSeconds(10), "the outbox drained");
        return (factory.Harness.PublishedCountSoFar(), backlog);
    }
}
