using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>POST /api/catalog/towns/{id}/api-key: a leaked key is replaced, only the new one authenticates, and the old one
/// joins the revoked-key feed the gateways follow.</summary>
public sealed class TownKeyRotationTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private static string PathFor(string townId) => $"/api/catalog/towns/{townId}/api-key";

    private Task<HttpResponseMessage> RotateAsync(string townId, AuthenticationHeaderValue? auth) =>
        factory.ClientAs(auth).PostAsync(PathFor(townId), null);

    /// <summary>The question the gateway asks for every key it has not cached.</summary>
    private async Task<AuthenticateApiKeyReply> AuthenticateAsync(string apiKey) =>
        await factory.Grpc(TestSettings.ServiceAuth("gateway")).AuthenticateApiKeyAsync(new AuthenticateApiKeyRequest { ApiKey = apiKey });

    /// <summary>The revoked-key feed, as the gateways read it.</summary>
    private async Task<GetRevokedKeysReply> RevokedKeysAsync(long after, int limit = 0) =>
        await factory.Grpc(TestSettings.ServiceAuth("gateway"))
            .GetRevokedKeysAsync(new GetRevokedKeysRequest { AfterSequence = after, Limit = limit });

    private async Task<long> NewestRevocationAsync() => (await RevokedKeysAsync(0, limit: 1)).NewestSequence;

    private static async Task<TownKeyRotation> RotationOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "an answer holding a key must not be stored");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["townId", "apiKey"], body.EnumerateObject().Select(p => p.Name));
        return body.Deserialize<TownKeyRotation>(JsonSerializerOptions.Web)!;
    }

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_town_rotates_its_key_and_from_then_on_only_the_new_key_authenticates()
    {
        var town = await factory.RegisterTownAsync();

        var rotation = await RotationOf(await RotateAsync(town.Town.Id, TestSettings.TownAuth(town.Town.Id)));
        Assert.Equal(town.Town.Id, rotation.TownId);
        Assert.StartsWith(ApiKeys.Prefix, rotation.ApiKey);
        Assert.NotEqual(town.ApiKey, rotation.ApiKey);
        var (fresh, old) = (await AuthenticateAsync(rotation.ApiKey), await AuthenticateAsync(town.ApiKey));
        Assert.Equal((true, town.Town.Id), (fresh.Valid, fresh.TownId));
        Assert.False(old.Valid);
        Assert.Equal(ApiKeys.Hash(rotation.ApiKey), (await factory.Store.GetTownAsync(town.Town.Id))!.ApiKeyHash);
    }

    [Fact]
    public async Task An_operator_rotates_a_towns_key()
    {
        var town = await factory.RegisterTownAsync();

        var rotation = await RotationOf(await RotateAsync(town.Town.Id, TestSettings.OperatorAuth()));

        Assert.Equal(town.Town.Id, rotation.TownId);
        Assert.Equal(town.Town.Id, (await factory.Store.FindTownByKeyHashAsync(ApiKeys.Hash(rotation.ApiKey)))?.Id);
        Assert.Null(await factory.Store.FindTownByKeyHashAsync(ApiKeys.Hash(town.ApiKey)));
    }

    [Fact]
    public async Task Another_town_gets_a_403_that_names_no_town_and_the_key_is_unchanged()
    {
        var owner = await factory.RegisterTownAsync();
        var intruder = await factory.RegisterTownAsync();

        var response = await RotateAsync(owner.Town.Id, TestSettings.TownAuth(intruder.Town.Id));

        var problem = await ProblemOf(response, HttpStatusCode.Forbidden);
        Assert.Equal("a town rotates only its own API key", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(owner.Town.Id, problem.GetRawText());
        Assert.DoesNotContain(intruder.Town.Id, problem.GetRawText());
        Assert.Null(response.Headers.CacheControl);
        Assert.True((await AuthenticateAsync(owner.ApiKey)).Valid);
    }

    [Fact]
    public async Task An_anonymous_caller_gets_a_401_and_a_service_a_403_and_the_key_is_unchanged()
    {
        var town = await factory.RegisterTownAsync();

        var anonymous = await RotateAsync(town.Town.Id, null);
        var service = await RotateAsync(town.Town.Id, TestSettings.ServiceAuth("matching"));

        await ProblemOf(anonymous, HttpStatusCode.Unauthorized);
        var problem = await ProblemOf(service, HttpStatusCode.Forbidden);
        Assert.Equal("This route is for towns and operators; your API key is a service's.", problem.GetProperty("detail").GetString());
        Assert.True((await AuthenticateAsync(town.ApiKey)).Valid);
    }

    [Fact]
    public async Task Rotating_the_key_of_an_unknown_town_is_a_404_problem()
    {
        var response = await RotateAsync("nowhere", TestSettings.OperatorAuth());

        var problem = await ProblemOf(response, HttpStatusCode.NotFound);
        Assert.Equal("town 'nowhere' does not exist", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("nowhere")]
    [InlineData("town%0AINFO%20forged")] // a line break: not quoted back
    [InlineData("town-%E2%80%AEx")] // a right-to-left override: not quoted back
    public async Task An_id_that_names_no_town_gets_the_same_404_as_reading_that_town(string escapedId)
    {
        var read = await factory.CreateClient().GetAsync($"/api/catalog/towns/{escapedId}");
        var rotate = await RotateAsync(escapedId, TestSettings.OperatorAuth());

        var (readProblem, rotateProblem) = (await ProblemOf(read, HttpStatusCode.NotFound), await ProblemOf(rotate, HttpStatusCode.NotFound));
        Assert.EndsWith("does not exist", readProblem.GetProperty("detail").GetString()); // the handler's 404, not routing's
        Assert.Equal(readProblem.GetProperty("detail").GetString(), rotateProblem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_rotation_lists_the_old_keys_hash_in_the_revoked_key_feed_and_not_the_new_one()
    {
        var town = await factory.RegisterTownAsync();
        var before = await NewestRevocationAsync();

        var rotation = await RotationOf(await RotateAsync(town.Town.Id, TestSettings.TownAuth(town.Town.Id)));

        var feed = await RevokedKeysAsync(before);
        Assert.Equal([ApiKeys.Hash(town.ApiKey)], feed.KeyHashes.ToArray());
        Assert.Equal((before + 1, before + 1, false), (feed.LastSequence, feed.NewestSequence, feed.Pruned));
        Assert.DoesNotContain(ApiKeys.Hash(rotation.ApiKey), feed.KeyHashes);
    }

    [Fact]
    public async Task The_revoked_key_feed_is_read_in_pages_each_after_the_last_sequence_read()
    {
        var town = await factory.RegisterTownAsync();
        var before = await NewestRevocationAsync();
        var keys = new List<string> { town.ApiKey };
        for (var i = 0; i < 3; i++) keys.Add((await RotationOf(await RotateAsync(town.Town.Id, TestSettings.OperatorAuth()))).ApiKey);

        var first = await RevokedKeysAsync(before, limit: 2);
        var second = await RevokedKeysAsync(first.LastSequence, limit: 2);
        var caughtUp = await RevokedKeysAsync(second.LastSequence, limit: 2);

        Assert.Equal(keys.Take(2).Select(ApiKeys.Hash).ToArray(), first.KeyHashes.ToArray());
        Assert.Equal((before + 2, before + 3), (first.LastSequence, first.NewestSequence));
        Assert.Equal([ApiKeys.Hash(keys[2])], second.KeyHashes.ToArray());
        Assert.Empty(caughtUp.KeyHashes);
        Assert.Equal((before + 3, before + 3, false), (caughtUp.LastSequence, caughtUp.NewestSequence, caughtUp.Pruned));
    }

    [Fact]
    public async Task A_refused_rotation_lists_nothing_in_the_revoked_key_feed()
    {
        var owner = await factory.RegisterTownAsync();
        var intruder = await factory.RegisterTownAsync();
        var before = await NewestRevocationAsync();

        await ProblemOf(await RotateAsync(owner.Town.Id, TestSettings.TownAuth(intruder.Town.Id)), HttpStatusCode.Forbidden);
        await ProblemOf(await RotateAsync("nowhere", TestSettings.OperatorAuth()), HttpStatusCode.NotFound);
        await ProblemOf(await RotateAsync(owner.Town.Id, TestSettings.ServiceAuth("matching")), HttpStatusCode.Forbidden);

        Assert.Equal(before, await NewestRevocationAsync());
    }

    [Fact]
    public async Task Only_services_read_the_revoked_key_feed_and_only_from_a_sequence_and_with_a_limit_in_range()
    {
        var anyone = new GetRevokedKeysRequest();

        var anonymous = await Assert.ThrowsAsync<RpcException>(() => factory.Grpc(null).GetRevokedKeysAsync(anyone).ResponseAsync);
        var town = await Assert.ThrowsAsync<RpcException>(() =>
            factory.Grpc(TestSettings.TownAuth("42187")).GetRevokedKeysAsync(anyone).ResponseAsync);
        var negative = await Assert.ThrowsAsync<RpcException>(() => RevokedKeysAsync(-1));
        var tooMany = await Assert.ThrowsAsync<RpcException>(() => RevokedKeysAsync(0, limit: 1001));

        Assert.Equal([StatusCode.Unauthenticated, StatusCode.PermissionDenied, StatusCode.InvalidArgument, StatusCode.InvalidArgument],
            new[] { anonymous.StatusCode, town.StatusCode, negative.StatusCode, tooMany.StatusCode });
    }

    [Fact]
    public async Task Concurrent_rotations_all_answer_yet_leave_exactly_one_valid_key_and_list_every_key_they_replaced_once()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.OperatorAuth());
        var before = await NewestRevocationAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostAsync(PathFor(town.Town.Id), null)));

        var keys = new List<string>();
        foreach (var response in responses) keys.Add((await RotationOf(response)).ApiKey);
        var valid = new List<string>();
        foreach (var key in keys.Append(town.ApiKey))
            if ((await AuthenticateAsync(key)).Valid) valid.Add(key);
        // Each answer's key was the valid one when it was given; the last rotation to commit holds the only one left.
        var last = Assert.Single(valid);
        Assert.Contains(last, keys);
        Assert.Equal(ApiKeys.Hash(last), (await factory.Store.GetTownAsync(town.Town.Id))!.ApiKeyHash);
        var revoked = (await RevokedKeysAsync(before)).KeyHashes;
        Assert.Equal(keys.Append(town.ApiKey).Where(k => k != last).Select(ApiKeys.Hash).Order(), revoked.Order());
    }
}
