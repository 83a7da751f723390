using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Logistics.Api;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A vehicle's daily working hours, <c>workingHours</c>: optional, checked, stored and shown.</summary>
public class VehicleWorkingHoursTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    private static Dictionary<string, object?> Van(object? workingHours) => new()
    {
        ["homeLat"] = Towns.Roanne.Lat, ["homeLon"] = Towns.Roanne.Lon, ["capacityKg"] = 1000.0, ["costPerKm"] = 0.5,
        ["workingHours"] = workingHours,
    };

    private async Task<VehicleView> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json))!;
    }

    [Fact]
    public async Task Working_hours_are_answered_read_back_changed_and_cleared()
    {
        var (a, _, _) = Towns.Fresh();

        var van = await app.RegisterAsync(TestSettings.TownAuth(a),
            Van(new { start = "07:00", end = "18:00", timeZone = "Europe/Paris", days = new[] { "fri", "MON", " tue " } }));
        var read = await ReadAsync(await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a)));
        var changed = await ReadAsync(await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a),
            Van(new { start = "06:30", end = "14:00", timeZone = "America/New_York" })));
        var cleared = await ReadAsync(await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a), Van(null)));

        Assert.Equal(("07:00", "18:00", "Europe/Paris"), (van.WorkingHours!.Start, van.WorkingHours.End, van.WorkingHours.TimeZone));
        Assert.Equal(["mon", "tue", "fri"], van.WorkingHours.Days);
        Assert.Equal(van.WorkingHours.Days, read.WorkingHours!.Days);
        Assert.Equal(("06:30", "America/New_York"), (changed.WorkingHours!.Start, changed.WorkingHours.TimeZone));
        Assert.Equal(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], changed.WorkingHours.Days); // left out: every day
        Assert.Null(cleared.WorkingHours);
    }

    public static TheoryData<string, object> Refused => new()
    {
        { "workingHours.timeZone", new { start = "07:00", end = "18:00", timeZone = "Mars/Olympus_Mons" } },
        { "workingHours.timeZone", new { start = "07:00", end = "18:00", timeZone = "Romance Standard Time" } },
        { "workingHours.timeZone", new { start = "07:00", end = "18:00", timeZone = "../../../etc/passwd" } },
        { "workingHours.timeZone", new { start = "07:00", end = "18:00" } },
        { "workingHours.start", new { start = "7am", end = "18:00", timeZone = "Europe/Paris" } },
        { "workingHours.start", new { start = "24:00", end = "18:00", timeZone = "Europe/Paris" } },
        { "workingHours.end", new { start = "07:00", timeZone = "Europe/Paris" } },
        { "workingHours.end", new { start = "18:00", end = "07:00", timeZone = "Europe/Paris" } },
        { "workingHours.end", new { start = "07:00", end = "07:00", timeZone = "Europe/Paris" } },
        { "workingHours.end", new { start = "07:00", end = "07:59", timeZone = "Europe/Paris" } },
        { "workingHours.days", new { start = "07:00", end = "18:00", timeZone = "Europe/Paris", days = new[] { "mon", "funday" } } },
        { "workingHours.days", new { start = "07:00", end = "18:00", timeZone = "Europe/Paris", days = Array.Empty<string>() } },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Bad_working_hours_are_refused_naming_the_field_on_registration_and_change(string field, object hours)
    {
        var (a, _, _) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(a), Van(new { start = "08:00", end = "17:00", timeZone = "UTC" }));

        var registered = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), Van(hours));
        var changed = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a), Van(hours));
        var unchanged = await ReadAsync(await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a)));

        foreach (var response in new[] { registered, changed })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
            Assert.Equal([field], problem!.Errors.Keys);
        }
        Assert.Equal(("08:00", "UTC"), (unchanged.WorkingHours!.Start, unchanged.WorkingHours.TimeZone));
    }

    [Fact]
    public async Task A_working_hours_field_of_the_wrong_type_is_named_in_errors()
    {
        var (a, _, _) = Towns.Fresh();

        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a),
            Van(new { start = "07:00", end = "18:00", timeZone = "Europe/Paris", days = "mon" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["workingHours.days"], (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
    }

    [Fact]
    public async Task A_key_retried_with_other_working_hours_is_a_conflict()
    {
        var (a, _, _) = Towns.Fresh();
        async Task<HttpResponseMessage> RegisterAsync(string end)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/logistics/vehicles")
            {
                Content = JsonContent.Create(Van(new { start = "07:00", end, timeZone = "Europe/Paris" })),
            };
            request.Headers.Authorization = TestSettings.TownAuth(a);
            request.Headers.Add("Idempotency-Key", "van-with-hours");
            return await app.CreateClient().SendAsync(request);
        }

        var first = await RegisterAsync("18:00");
        var retry = await RegisterAsync("18:00");
        var other = await RegisterAsync("19:00");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
    }
}
