using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>POST and DELETE /api/catalog/towns/{id}/suspension: an operator takes a misbehaving town off the board — key
/// revoked, open listings withdrawn, in one write — and later gives it back with a new key.</summary>
public sealed class TownSuspensionTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private static string PathFor(string townId) => $"/api/catalog/towns/{townId}/suspension";

    private static object Offer() => new { kind = "offer", category = "cheese", quantity = 100 };

    private Task<HttpResponseMessage> SuspendAsync(string townId, AuthenticationHeaderValue? auth, string? reason = "fraudulent offers") =>
        factory.ClientAs(auth).PostAsJsonAsync(PathFor(townId), new { reason });

    private Task<HttpResponseMessage> ReinstateAsync(string townId, AuthenticationHeaderValue? auth) =>
        factory.ClientAs(auth).DeleteAsync(PathFor(townId));

    private async Task<AuthenticateApiKeyReply> AuthenticateAsync(string apiKey) =>
        await factory.Grpc(TestSettings.ServiceAuth("gateway")).AuthenticateApiKeyAsync(new AuthenticateApiKeyRequest { ApiKey = apiKey });

    private async Task<GetRevokedKeysReply> RevokedKeysAsync(long after) =>
        await factory.Grpc(TestSettings.ServiceAuth("gateway")).GetRevokedKeysAsync(new GetRevokedKeysRequest { AfterSequence = after });

    private async Task<long> NewestRevocationAsync() =>
        (await factory.Grpc(TestSettings.ServiceAuth("gateway")).GetRevokedKeysAsync(new GetRevokedKeysRequest { Limit = 1 })).NewestSequence;

    private static async Task<JsonElement> BodyOf(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task An_operator_suspends_a_town_and_its_key_its_open_listings_and_the_events_go_in_one_write()
    {
        var town = await factory.RegisterTownAsync();
        var (first, second) = (await factory.PublishAsync(town.Town.Id, Offer()), await factory.PublishAsync(town.Town.Id, Offer()));
        var before = await NewestRevocationAsync();

        var view = await BodyOf(await SuspendAsync(town.Town.Id, TestSettings.OperatorAuth(), "  fraudulent offers  "), HttpStatusCode.OK);

        Assert.Equal(("suspended", "fraudulent offers"), (view.GetProperty("status").GetString(), view.GetProperty("suspensionReason").GetString()));
        Assert.Equal(JsonValueKind.String, view.GetProperty("suspendedAt").ValueKind);
        // All of it is committed by the time the operator gets the answer.
        Assert.Equal(["withdrawn", "withdrawn"], [(await factory.ListingAsync(first.Id)).Status, (await factory.ListingAsync(second.Id)).Status]);
        Assert.Equal([ApiKeys.Hash(town.ApiKey)], (await RevokedKeysAsync(before)).KeyHashes.ToArray());
        Assert.False((await AuthenticateAsync(town.ApiKey)).Valid);
        var stored = await factory.Store.GetTownAsync(town.Town.Id);
        Assert.Equal("fraudulent offers", stored!.Suspension?.Reason);
        Assert.NotEqual(ApiKeys.Hash(town.ApiKey), stored.ApiKeyHash);
        var suspended = await factory.PublishedAsync<TownSuspended>(e => e.TownId == town.Town.Id, "TownSuspended");
        Assert.Equal(new[] { first.Id, second.Id }.Order(), suspended.WithdrawnListingIds.Order());
        await factory.PublishedAsync<ListingWithdrawn>(e => e.ListingId == first.Id && e.Version == 2, "ListingWithdrawn of the first");
        await factory.PublishedAsync<ListingWithdrawn>(e => e.ListingId == second.Id && e.Version == 2, "ListingWithdrawn of the second");
    }

    [Fact]
    public async Task Everyone_sees_that_a_town_is_suspended_but_only_operators_see_when_and_why()
    {
        var town = await factory.RegisterTownAsync();
        await BodyOf(await SuspendAsync(town.Town.Id, TestSettings.OperatorAuth(), "unpaid deliveries"), HttpStatusCode.OK);

        var anyone = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/catalog/towns/{town.Town.Id}");
        var ops = await factory.ClientAs(TestSettings.OperatorAuth()).GetFromJsonAsync<JsonElement>($"/api/catalog/towns/{town.Town.Id}");

        Assert.Equal(("suspended", JsonValueKind.Null, JsonValueKind.Null),
            (anyone.GetProperty("status").GetString(), anyone.GetProperty("suspendedAt").ValueKind, anyone.GetProperty("suspensionReason").ValueKind));
        Assert.Equal(("suspended", "unpaid deliveries"), (ops.GetProperty("status").GetString(), ops.GetProperty("suspensionReason").GetString()));
    }

    [Fact]
    public async Task Suspending_a_suspended_town_again_answers_it_as_it_stands_and_writes_and_announces_nothing()
    {
        var town = await factory.RegisterTownAsync();
        var first = await BodyOf(await SuspendAsync(town.Town.Id, TestSettings.OperatorAuth(), "first reason"), HttpStatusCode.OK);
        await factory.PublishedAsync<TownSuspended>(e => e.TownId == town.Town.Id, "TownSuspended");
        var before = await NewestRevocationAsync();

        var again = await BodyOf(await SuspendAsync(town.Town.Id, TestSettings.OperatorAuth(), "second reason"), HttpStatusCode.OK);

        Assert.Equal(first.GetProperty("suspendedAt").GetString(), again.GetProperty("suspendedAt").GetString());
        Assert.Equal("first reason", again.GetProperty("suspensionReason").GetString());
        Assert.Equal(before, await NewestRevocationAsync());
        // The relay hands events over in the order they were written: once a later one is on the bus, so would a second
        // TownSuspended be.
        var other = await factory.RegisterTownAsync();
        var marker = await factory.PublishAsync(other.Town.Id, Offer());
        await factory.PublishedAsync<ListingPublished>(e => e.Listing.Id == marker.Id, "the later ListingPublished");
        Assert.Equal(1, factory.PublishedCount<TownSuspended>(e => e.TownId == town.Town.Id));
    }

    [Fact]
    public async Task A_town_cannot_suspend_itself_or_another_and_nothing_changes()
    {
        var town = await factory.RegisterTownAsync();
        var before = await NewestRevocationAsync();

        var itself = await SuspendAsync(town.Town.Id, TestSettings.TownAuth(town.Town.Id));
        var anonymous = await SuspendAsync(town.Town.Id, null);
        var lift = await ReinstateAsync(town.Town.Id, TestSettings.TownAuth(town.Town.Id));

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden],
            new[] { itself.StatusCode, anonymous.StatusCode, lift.StatusCode });
        Assert.True((await AuthenticateAsync(town.ApiKey)).Valid);
        Assert.Equal(before, await NewestRevocationAsync());
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("   ", "is required")]
    [InlineData("line\nbreak", "must not contain control characters")]
    [InlineData("\u202Etiurf", "must not contain control characters")] // would read "fruit" backwards to an operator
    [InlineData("\u200B", "must contain a letter or digit")] // invisible text that Trim keeps
    [InlineData("\uFEFF\u00AD", "must contain a letter or digit")]
    [InlineData("\u0301", "must contain a letter or digit")]
    public async Task A_missing_or_unsafe_reason_is_a_400_naming_reason_and_the_town_stays_active(string? reason, string error)
    {
        var town = await factory.RegisterTownAsync();

        var problem = await BodyOf(await SuspendAsync(town.Town.Id, TestSettings.OperatorAuth(), reason), HttpStatusCode.BadRequest);

        Assert.Equal([error], problem.GetProperty("errors").GetProperty("reason").EnumerateArray().Select(e => e.GetString()));
        Assert.False((await factory.Store.GetTownAsync(town.Town.Id))!.IsSuspended);
        Assert.True((await AuthenticateAsync(town.ApiKey)).Valid);
    }

    [Fact]
    public async Task A_reason_over_500_characters_is_a_400_naming_reason()
    {
        var town = await factory.RegisterTownAsync();

        var problem = await BodyOf(await SuspendAsync(town.Town.Id, TestSettings.OperatorAuth(), new string('x', 501)), HttpStatusCode.BadRequest);

        Assert.Equal(["must be at most 500 characters"], problem.GetProperty("errors").GetProperty("reason").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Suspending_or_reinstating_an_unknown_town_is_a_404()
    {
        var suspend = await SuspendAsync("nowhere", TestSettings.OperatorAuth());
        var reinstate = await ReinstateAsync("nowhere", TestSettings.OperatorAuth());

        Assert.Equal("town 'nowhere' does not exist", (await BodyOf(suspend, HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        Assert.Equal("town 'nowhere' does not exist", (await BodyOf(reinstate, HttpStatusCode.NotFound)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_suspended_town_cannot_publish_or_rotate_its_key_and_an_operator_rotation_points_to_reinstatement()
    {
        var town = await factory.RegisterTownAsync();
        await BodyOf(await SuspendAsync(town.Town.Id, TestSettings.OperatorAuth()), HttpStatusCode.OK);

        // As if the gateway still held the town's identity: the catalog refuses it anyway.
        var publish = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id)).PostAsJsonAsync("/api/catalog/listings", Offer());
        var rotate = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id)).PostAsync($"/api/catalog/towns/{town.Town.Id}/api-key", null);
        var byOperator = await factory.ClientAs(TestSettings.OperatorAuth()).PostAsync($"/api/catalog/towns/{town.Town.Id}/api-key", null);

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Conflict],
            new[] { publish.StatusCode, rotate.StatusCode, byOperator.StatusCode });
        Assert.Contains("DELETE /api/catalog/towns/{id}/suspension", (await byOperator.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Empty(await factory.Store.FindListingsAsync(new(TownId: town.Town.Id)));
    }

    [Fact]
    public async Task The_authenticate_call_refuses_a_suspended_towns_key_even_if_it_were_its_current_one()
    {
        var town = await factory.RegisterTownAsync();
        await BodyOf(await SuspendAsync(town.Town.Id, TestSettings.OperatorAuth()), HttpStatusCode.OK);
        // Put the old key's hash back behind the suspension's back, as a bug or a restored backup could.
        var stored = (await factory.Store.GetTownAsync(town.Town.Id))!;
        await using (var session = await factory.Store.BeginAsync())
        {
            await session.ReplaceTownKeyAsync(town.Town.Id, stored.ApiKeyHash, ApiKeys.Hash(town.ApiKey));
            await session.CommitAsync();
        }

        Assert.False((await AuthenticateAsync(town.ApiKey)).Valid);
    }

    [Fact]
    public async Task Reinstating_gives_a_new_working_key_shown_once_and_the_town_trades_again()
    {
        var town = await factory.RegisterTownAsync();
        await BodyOf(await SuspendAsync(town.Town.Id, TestSettings.OperatorAuth()), HttpStatusCode.OK);

        var response = await ReinstateAsync(town.Town.Id, TestSettings.OperatorAuth());

        var body = await BodyOf(response, HttpStatusCode.OK);
        Assert.True(response.Headers.CacheControl?.NoStore, "an answer holding a key must not be stored");
        Assert.Equal(["townId", "apiKey"], body.EnumerateObject().Select(p => p.Name));
        var key = body.GetProperty("apiKey").GetString()!;
        Assert.StartsWith(ApiKeys.Prefix, key);
        Assert.Equal((true, town.Town.Id), ((await AuthenticateAsync(key)).Valid, (await AuthenticateAsync(key)).TownId));
        Assert.False((await AuthenticateAsync(town.ApiKey)).Valid);
        var view = await factory.ClientAs(TestSettings.OperatorAuth()).GetFromJsonAsync<JsonElement>($"/api/catalog/towns/{town.Town.Id}");
        Assert.Equal(("active", JsonValueKind.Null), (view.GetProperty("status").GetString(), view.GetProperty("suspensionReason").ValueKind));
        await factory.PublishAsync(town.Town.Id, Offer());
        await factory.PublishedAsync<TownReinstated>(e => e.TownId == town.Town.Id, "TownReinstated");
    }

    [Fact]
    public async Task Reinstating_a_town_that_is_not_suspended_is_a_409_and_its_key_keeps_working()
    {
        var town = await factory.RegisterTownAsync();

        var response = await ReinstateAsync(town.Town.Id, TestSettings.OperatorAuth());

        Assert.Contains("is not suspended", (await BodyOf(response, HttpStatusCode.Conflict)).GetProperty("detail").GetString());
        Assert.True((await AuthenticateAsync(town.ApiKey)).Valid);
    }

    [Fact]
    public async Task A_towns_view_read_back_whole_is_accepted_by_its_change_but_a_different_status_is_a_400()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));
        var view = await client.GetFromJsonAsync<JsonElement>($"/api/catalog/towns/{town.Town.Id}");

        var same = await client.PutAsJsonAsync($"/api/catalog/towns/{town.Town.Id}", view);
        var changed = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(view.GetRawText())!;
        changed["status"] = JsonSerializer.SerializeToElement("suspended");
        var refused = await client.PutAsJsonAsync($"/api/catalog/towns/{town.Town.Id}", changed);

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.True((await BodyOf(refused, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("status", out _));
    }
}
