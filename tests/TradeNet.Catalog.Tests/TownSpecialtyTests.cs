using System.Net;
using System.Net.Http.Json;
using TradeNet.Catalog.Api;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A town's specialties drop repeats as listing tags do, without regard to case: "Wine", "wine" and "WINE"
/// were kept as three specialties, shown three times in every list of towns.</summary>
public sealed class TownSpecialtyTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    [Fact]
    public async Task A_registration_keeps_one_of_specialties_that_differ_only_in_case_as_first_spelt()
    {
        var response = await factory.ClientAs(null).PostAsJsonAsync("/api/catalog/towns",
            new { name = "Saint-Haon-le-Vieux", lat = 46.07, lon = 3.91, specialties = new[] { "Wine", " wine", "WINE ", "cheese" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var registered = (await response.Content.ReadFromJsonAsync<TownRegistration>())!;
        Assert.Equal(["Wine", "cheese"], registered.Town.Specialties);
        Assert.Equal(["Wine", "cheese"], (await factory.Store.GetTownAsync(registered.Town.Id))!.Specialties);
    }

    [Fact]
    public async Task A_change_keeps_one_of_specialties_that_differ_only_in_case_as_first_spelt()
    {
        var town = await factory.RegisterTownAsync();

        var response = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id)).PutAsJsonAsync($"/api/catalog/towns/{town.Town.Id}",
            new { name = town.Town.Name, lat = town.Town.Lat, lon = town.Town.Lon, specialties = new[] { "honey", "Honey", "HONEY" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["honey"], (await response.Content.ReadFromJsonAsync<TownView>())!.Specialties);
        Assert.Equal(["honey"], (await factory.Store.GetTownAsync(town.Town.Id))!.Specialties);
    }
}
