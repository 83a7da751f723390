using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A town whose registration answer got lost registers again with the same <c>Idempotency-Key</c>: it gets the
/// town and the API key it was given, not a second town — and only the same key and body get that key, only while it is
/// still the town's.</summary>
public sealed class IdempotentRegistrationTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private static object Body(string name, string[]? specialties = null, double lat = 46.0431) =>
        new { name, lat, lon = 4.0413, specialties = specialties ?? ["vegetables", "wood"] };

    private static HttpRequestMessage Post(object body, params string[] keys)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/towns") { Content = JsonContent.Create(body) };
        foreach (var key in keys) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    private static string NewKey() => $"register-{Guid.NewGuid()}";

    private static string NewName() => $"Town {Guid.NewGuid():N}";

    private async Task<AuthenticateApiKeyReply> AuthenticateAsync(string apiKey) =>
        await factory.Grpc(TestSettings.ServiceAuth("gateway")).AuthenticateApiKeyAsync(new AuthenticateApiKeyRequest { ApiKey = apiKey });

    private async Task<int> TownsNamedAsync(string name) => (await factory.Store.GetTownsAsync()).Count(t => t.Name == name);

    private static async Task<string> DetailOf(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task A_registration_sent_again_with_the_same_key_gets_the_same_town_and_key_and_registers_once()
    {
        var (key, name) = (NewKey(), NewName());
        var client = factory.CreateClient();

        var first = await client.SendAsync(Post(Body(name), key));
        // The same body as registering reads it: name and specialties trimmed, repeats dropped.
        var again = await client.SendAsync(Post(Body($"  {name} ", [" vegetables", "wood", "wood "]), key));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        var (registered, replayed) = ((await first.Content.ReadFromJsonAsync<TownRegistration>())!,
            (await again.Content.ReadFromJsonAsync<TownRegistration>())!);
        Assert.Equal(registered.Town.Id, replayed.Town.Id);
        Assert.Equal(registered.ApiKey, replayed.ApiKey);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(again.Headers.GetValues("Idempotent-Replayed")));
        Assert.True(again.Headers.CacheControl?.NoStore, "a replayed answer holds the key too");
        Assert.Equal((true, registered.Town.Id), ((await AuthenticateAsync(replayed.ApiKey)).Valid, (await AuthenticateAsync(replayed.ApiKey)).TownId));
        Assert.Equal(1, await TownsNamedAsync(name));
        // The relay hands events over in order: once a later town's is on the bus, a second TownRegistered would be too.
        var marker = await factory.RegisterTownAsync();
        await factory.PublishedAsync<TownRegistered>(e => e.TownId == marker.Town.Id, "the later TownRegistered");
        Assert.Equal(1, factory.PublishedCount<TownRegistered>(e => e.Name == name));
    }

    [Fact]
    public async Task Retries_sent_at_once_with_one_key_register_one_town_and_all_get_its_key()
    {
        var (key, name) = (NewKey(), NewName());
        var client = factory.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.SendAsync(Post(Body(name), key))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var registrations = await Task.WhenAll(answers.Select(async a => (await a.Content.ReadFromJsonAsync<TownRegistration>())!));
        Assert.Single(registrations.Select(r => (r.Town.Id, r.ApiKey)).Distinct());
        Assert.Equal(1, await TownsNamedAsync(name));
    }

    [Fact]
    public async Task A_key_reused_with_another_body_is_a_409_and_registers_nothing_nor_shows_the_key()
    {
        var (key, name) = (NewKey(), NewName());
        var client = factory.CreateClient();
        var first = (await (await client.SendAsync(Post(Body(name), key))).Content.ReadFromJsonAsync<TownRegistration>())!;

        var other = await client.SendAsync(Post(Body(name, lat: 46.05), key));

        var detail = await DetailOf(other, HttpStatusCode.Conflict);
        Assert.Contains($"Idempotency-Key '{key}' was used for a town with other terms", detail);
        Assert.DoesNotContain(first.ApiKey, await other.Content.ReadAsStringAsync());
        Assert.Equal(1, await TownsNamedAsync(name));
    }

    [Fact]
    public async Task Each_key_names_its_own_registration_so_a_new_key_registers_a_new_town()
    {
        var name = NewName();
        var client = factory.CreateClient();

        var first = await client.SendAsync(Post(Body(name), NewKey()));
        var second = await client.SendAsync(Post(Body(name), NewKey()));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, second.StatusCode));
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await TownsNamedAsync(name));
    }

    [Theory]
    [InlineData("retry-1")]                     // well formed, but short enough to guess
    [InlineData("has space in the middle of it")]
    [InlineData("clé-de-réessai-assez-longue")]
    public async Task A_short_or_malformed_key_is_a_400_naming_the_header_and_registers_nothing(string key)
    {
        var name = NewName();

        var response = await factory.CreateClient().SendAsync(Post(Body(name), key));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("at least 16 characters", problem.GetProperty("errors").GetProperty("Idempotency-Key")[0].GetString());
        Assert.Equal(0, await TownsNamedAsync(name));
    }

    [Fact]
    public async Task Two_keys_on_one_registration_are_a_400_naming_the_header()
    {
        var response = await factory.CreateClient().SendAsync(Post(Body(NewName()), NewKey(), NewKey()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }

    [Theory]
    [InlineData("rotation")]
    [InlineData("suspension")]
    public async Task Once_the_towns_key_is_replaced_the_registration_is_no_longer_replayed_and_its_old_key_never_shown(string by)
    {
        var (key, name) = (NewKey(), NewName());
        var client = factory.CreateClient();
        var registered = (await (await client.SendAsync(Post(Body(name), key))).Content.ReadFromJsonAsync<TownRegistration>())!;
        var operators = factory.ClientAs(TestSettings.OperatorAuth());
        var replaced = by == "rotation"
            ? await operators.PostAsync($"/api/catalog/towns/{registered.Town.Id}/api-key", null)
            : await operators.PostAsJsonAsync($"/api/catalog/towns/{registered.Town.Id}/suspension", new { reason = "fraud" });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);

        var retry = await client.SendAsync(Post(Body(name), key));

        Assert.Contains("was replaced since", await DetailOf(retry, HttpStatusCode.Conflict));
        var text = await retry.Content.ReadAsStringAsync();
        Assert.DoesNotContain(registered.ApiKey, text);
        Assert.DoesNotContain(ApiKeys.Prefix, text);
        Assert.Equal(1, await TownsNamedAsync(name));
    }

    [Fact]
    public async Task An_expired_key_is_forgotten_and_registers_a_new_town()
    {
        var key = NewKey();
        var earlier = await factory.RegisterTownAsync();
        // A key whose lifetime ended, as the store holds it until the next registration forgets it.
        var past = DateTimeOffset.UtcNow.AddDays(-2);
        await using (var session = await factory.Store.BeginAsync())
        {
            await session.AddTownRequestAsync(new TownRequest(ApiKeys.Hash(key), earlier.Town.Id, "another body",
                SealedApiKeys.Seal(earlier.ApiKey, key), past, past.AddDays(1)), past);
            await session.CommitAsync();
        }
        var name = NewName();

        var response = await factory.CreateClient().SendAsync(Post(Body(name), key));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Idempotent-Replayed"));
        var registered = (await response.Content.ReadFromJsonAsync<TownRegistration>())!;
        Assert.NotEqual(earlier.Town.Id, registered.Town.Id);
        await using var read = await factory.Store.BeginAsync();
        Assert.Equal(registered.Town.Id, (await read.GetTownRequestAsync(ApiKeys.Hash(key)))?.TownId);
    }

    [Fact]
    public async Task The_store_keeps_neither_the_API_key_nor_the_Idempotency_Key_in_clear()
    {
        var key = NewKey();
        var response = await factory.CreateClient().SendAsync(Post(Body(NewName()), key));
        var registered = (await response.Content.ReadFromJsonAsync<TownRegistration>())!;

        foreach (var file in Directory.GetFiles(factory.Settings.DataDir, "catalog.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            var content = await reader.ReadToEndAsync();
            Assert.DoesNotContain(registered.ApiKey, content);
            Assert.DoesNotContain(key, content);
        }
    }
}
