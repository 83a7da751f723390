using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;
using TradeNet.Contracts;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

public sealed class TownRegistrationTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    [Fact]
    public async Task Registering_a_town_returns_its_key_once_and_stores_only_its_hash()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/catalog/towns",
            new RegisterTownRequest("Roanne", 46.0333, 4.0667, "42187", ["cheese", "firewood"]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "an answer holding a key must not be stored");
        var registration = (await response.Content.ReadFromJsonAsync<TownRegistration>())!;
        Assert.Equal("42187", registration.Town.Id);
        Assert.StartsWith(ApiKeys.Prefix, registration.ApiKey);

        var stored = (await factory.Store.GetTownAsync("42187"))!;
        Assert.Equal(ApiKeys.Hash(registration.ApiKey), stored.ApiKeyHash);
        Assert.DoesNotContain(registration.ApiKey, stored.ApiKeyHash);

        // Later reads never show the key or its hash.
        var read = await factory.CreateClient().GetStringAsync("/api/catalog/towns/42187");
        var list = await factory.CreateClient().GetStringAsync("/api/catalog/towns");
        foreach (var body in new[] { read, list })
        {
            Assert.DoesNotContain(registration.ApiKey, body);
            Assert.DoesNotContain(stored.ApiKeyHash, body);
            Assert.DoesNotContain("apiKey", body, StringComparison.OrdinalIgnoreCase);
        }

        // Not even the database file holds the key in clear.
        var files = Directory.GetFiles(factory.Settings.DataDir, "catalog.db*");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            Assert.DoesNotContain(registration.ApiKey, await reader.ReadToEndAsync());
        }

        var registered = await factory.PublishedAsync<TownRegistered>(e => e.TownId == "42187", "TownRegistered");
        Assert.Equal("Roanne", registered.Name);
        Assert.Equal(["cheese", "firewood"], registered.Specialties);
    }

    [Fact]
    public async Task Towns_come_in_pages_by_name_each_linking_to_the_next()
    {
        for (var i = 0; i < 3; i++) await factory.RegisterTownAsync();
        var all = (await factory.CreateClient().GetFromJsonAsync<TownView[]>("/api/catalog/towns?limit=1000"))!.Select(t => t.Id).ToList();

        var (seen, pages) = await factory.ReadPagesAsync("/api/catalog/towns?limit=2");

        Assert.Equal(all, seen);
        Assert.Equal((all.Count + 1) / 2, pages); // pages of 2, the last with no Link even when full
    }

    [Fact]
    public async Task A_town_registering_with_a_taken_insee_code_gets_a_generated_id()
    {
        // Saint-Romain-en-Jarez, at its own coordinates (a known code elsewhere is refused, below).
        var first = await factory.RegisterTownAsync("42283", 45.56118, 4.54166);
        var second = await factory.RegisterTownAsync("42283", 45.56118, 4.54166);

        Assert.Equal("42283", first.Town.Id);
        Assert.NotEqual("42283", second.Town.Id);
        Assert.Equal("42283", second.Town.InseeCode);
        Assert.NotEqual(first.ApiKey, second.ApiKey);
    }

    [Fact]
    public async Task A_town_without_an_insee_code_gets_a_generated_id()
    {
        var town = await factory.RegisterTownAsync();

        Assert.StartsWith("town-", town.Town.Id);
        Assert.NotNull(await factory.Store.GetTownAsync(town.Town.Id));
    }

    [Theory]
    [InlineData("""{"name":"","lat":46,"lon":4}""", "name")]
    [InlineData("""{"lat":46,"lon":4}""", "name")]
    [InlineData("""{"name":"Roanne","lat":91,"lon":4}""", "lat")]
    [InlineData("""{"name":"Roanne","lon":4}""", "lat")]
    [InlineData("""{"name":"Roanne","lat":46,"lon":-180.5}""", "lon")]
    [InlineData("""{"name":"Roanne","inseeCode":"ROANNE","lat":46,"lon":4}""", "inseeCode")]
    [InlineData("""{"name":"Roanne","lat":46,"lon":4,"specialties":[""]}""", "specialties")]
    [InlineData("""{"name":"Roanne\nINFO forged log line","lat":46,"lon":4}""", "name")]
    [InlineData("""{"name":"A\u0000B","lat":46,"lon":4}""", "name")]
    [InlineData("""{"name":"Roanne\u2028INFO forged log line","lat":46,"lon":4}""", "name")]
    [InlineData("""{"name":"Lyon \u202Ennaor","lat":46,"lon":4}""", "name")] // displays as "Lyon roanne"
    [InlineData("""{"name":"Roanne","lat":46,"lon":4,"specialties":["cheese\r\nx"]}""", "specialties")]
    // Names no one can see: a zero-width space, a byte-order mark and a soft hyphen, a lone combining accent.
    [InlineData("""{"name":"\u200B","lat":46,"lon":4}""", "name")]
    [InlineData("""{"name":"\uFEFF\u00AD","lat":46,"lon":4}""", "name")]
    [InlineData("""{"name":"\u0301","lat":46,"lon":4}""", "name")]
    [InlineData("""{"name":"Roanne","lat":46,"lon":4,"specialties":["cheese","\u200B\u200D"]}""", "specialties")]
    public async Task Registration_with_an_invalid_field_is_a_400_naming_it(string body, string field)
    {
        var response = await factory.CreateClient().PostAsync("/api/catalog/towns",
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem}");
    }

    [Theory]
    [InlineData("42187\n")]
    [InlineData("\uff14\uff12\uff11\uff18\uff17")] // full-width digits
    [InlineData("\u0664\u0662\u0661\u0668\u0667")] // Arabic-Indic digits
    public async Task An_insee_code_is_five_ascii_digits_so_no_town_can_pose_as_another(string inseeCode)
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/catalog/towns",
            new RegisterTownRequest("Roanne", 46.0333, 4.0667, inseeCode, []));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("inseeCode", out _), $"errors should name 'inseeCode': {problem}");
        Assert.Null(await factory.Store.GetTownAsync(inseeCode));
    }

    [Fact]
    public async Task A_real_towns_insee_code_with_coordinates_far_from_it_is_refused_and_the_id_stays_free()
    {
        // Lyon (known through its arrondissements) claimed from the middle of the Pacific.
        var response = await factory.CreateClient().PostAsync("/api/catalog/towns", new StringContent(
            """{"name":"Lyon","inseeCode":"69123","lat":-45,"lon":170}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty("inseeCode")[0].GetString()!;
        Assert.Contains("Lyon", message);
        Assert.Contains("within 25 km", message);
        Assert.Null(await factory.Store.GetTownAsync("69123"));
    }

    [Fact]
    public async Task A_real_towns_insee_code_near_its_coordinates_is_accepted()
    {
        // Saint-Étienne's Hôtel de Ville, about a kilometre from the directory's point.
        var town = await factory.RegisterTownAsync("42218", 45.4397, 4.3872);

        Assert.Equal("42218", town.Town.InseeCode);
    }

    [Fact]
    public async Task An_insee_code_the_directory_does_not_know_is_taken_on_trust()
    {
        // Paris: the directory covers Auvergne-Rhône-Alpes only, so any coordinates are accepted as before.
        var town = await factory.RegisterTownAsync("75056", -45, 170);

        Assert.Equal("75056", town.Town.InseeCode);
    }

    [Fact]
    public async Task A_name_longer_than_100_characters_is_refused()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/catalog/towns",
            new RegisterTownRequest(new string('x', 101), 46, 4, null, []));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("name", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"name":"Roanne","lat":"north","lon":4}""", "lat")]
    [InlineData("""{"name":"Roanne","lat":46,""", null)]
    public async Task Malformed_json_is_a_400_problem_not_a_500(string body, string? field)
    {
        var response = await factory.CreateClient().PostAsync("/api/catalog/towns",
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        if (field is not null) Assert.Contains($"'{field}'", text);
        Assert.DoesNotContain("   at ", text); // no stack trace
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    public async Task Registering_without_a_body_is_a_400_saying_the_body_is_missing(string? body)
    {
        var response = await factory.CreateClient().PostAsync("/api/catalog/towns",
            body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("body is missing", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Registering_with_a_body_that_is_not_json_is_a_415_saying_json_is_expected()
    {
        var response = await factory.CreateClient().PostAsync("/api/catalog/towns",
            new StringContent("""{"name":"Roanne","lat":46,"lon":4}""", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("application/json", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Reading_an_unknown_town_is_a_404()
    {
        var response = await factory.CreateClient().GetAsync("/api/catalog/towns/nowhere");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_seeded_categories_span_every_family_with_plausible_values()
    {
        var categories = (await factory.CreateClient().GetFromJsonAsync<Category[]>("/api/catalog/categories"))!;

        Assert.True(categories.Length >= 25, $"only {categories.Length} categories");
        Assert.Equal(categories.Length, categories.Select(c => c.Id).Distinct().Count());
        foreach (var family in new[] { "produce", "dairy", "grain", "wood-energy", "crafts", "tools", "skills" })
            Assert.Contains(categories, c => c.Family == family);
        Assert.All(categories, c =>
        {
            Assert.Contains(c.Unit, Units.All);
            Assert.True(c.ValuePerUnit > 0, c.Id);
            Assert.True(c.WeightPerUnit >= 0, c.Id);
        });
        var vegetables = Assert.Single(categories, c => c.Id == "organic-vegetables");
        Assert.Equal((Units.Kg, 2.5, 1.0, true), (vegetables.Unit, vegetables.ValuePerUnit, vegetables.WeightPerUnit, vegetables.Perishable));
        var repair = Assert.Single(categories, c => c.Id == "repair-skills");
        Assert.Equal((Units.Hour, 0.0), (repair.Unit, repair.WeightPerUnit));
    }

    [Fact]
    public async Task Seeding_again_on_restart_does_not_duplicate_categories()
    {
        await factory.Store.InitializeAsync(CategorySeed.All);

        var categories = await factory.Store.GetCategoriesAsync();
        Assert.Equal(CategorySeed.All.Count, categories.Count);
    }
}
