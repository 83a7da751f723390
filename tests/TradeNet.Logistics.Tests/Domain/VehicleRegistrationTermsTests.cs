using System.Security.Claims;
using TradeNet.Logistics.Api;
using TradeNet.Shared.Auth;

namespace TradeNet.Logistics.Tests.Domain;

/// <summary>What makes two registrations under one <c>Idempotency-Key</c> the same vehicle, and whose key it is.</summary>
public class VehicleRegistrationTermsTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-01T08:00:00Z");

    private static readonly VehicleRequest Full = new(HomeLat: Towns.Roanne.Lat, HomeLon: Towns.Roanne.Lon, CapacityKg: 1500,
        CostPerKm: 0.45, HomeTown: "roanne", Name: "co-op van", VolumeM3: 12, Chilled: true, FixedCost: 25, AvailableFrom: T0,
        AvailableUntil: T0.AddDays(7), MaxRouteHours: 9, WorkingHours: new("07:00", "18:00", "Europe/Paris", ["mon", "fri"]));

    private static string Terms(VehicleRequest r, string id = "veh-1", DateTimeOffset? at = null) =>
        VehicleRegistrations.Fingerprint(VehicleValidation.Build(id, r.HomeTown!.Trim(), r, at ?? T0, at ?? T0));

    /// <summary>Walks the request's own fields, so a field added later is covered or this fails.</summary>
    [Fact]
    public void Every_field_of_the_request_is_part_of_the_terms()
    {
        var parameters = typeof(VehicleRequest).GetConstructors().Single().GetParameters();
        var values = parameters.Select(p => typeof(VehicleRequest).GetProperty(p.Name!)!.GetValue(Full)).ToArray();

        foreach (var (parameter, i) in parameters.Select((p, i) => (p, i)))
        {
            var changed = (object?[])values.Clone();
            changed[i] = values[i] switch
            {
                string text => text + "-2",
                double number => number + 1,
                bool flag => !flag,
                DateTimeOffset time => time.AddHours(1),
                WorkingHoursRequest hours => hours with { End = "19:00" },
                var unknown => throw new InvalidOperationException($"No other value for {parameter.Name} ({unknown?.GetType()})."),
            };
            var other = (VehicleRequest)Activator.CreateInstance(typeof(VehicleRequest), changed)!;

            Assert.True(Terms(Full) != Terms(other), $"{parameter.Name} is not part of the terms");
        }
    }

    [Fact]
    public void A_request_read_alike_has_the_same_terms()
    {
        var plain = Full with { Name = "van", Chilled = false, FixedCost = 0 };
        var spelledOtherwise = plain with
        {
            HomeTown = " roanne ", Name = "  van ", Chilled = null, FixedCost = null,
            AvailableFrom = T0.ToOffset(TimeSpan.FromHours(2)), AvailableUntil = T0.AddDays(7).ToOffset(TimeSpan.FromHours(-5)),
        };

        Assert.Equal(Terms(plain), Terms(spelledOtherwise));
    }

    [Fact]
    public void Without_maximum_route_hours_the_terms_are_those_keys_were_stored_with_before_the_field_existed()
    {
        var v = VehicleValidation.Build("veh-1", "roanne", Full with { MaxRouteHours = null, WorkingHours = null }, T0, T0);
        var before = TradeNet.Shared.Hosting.IdempotencyKeys.Fingerprint(new
        {
            v.HomeTown, v.Home.Lat, v.Home.Lon, v.Name, v.CapacityKg, v.VolumeM3, v.Chilled, v.CostPerKm, v.FixedCost,
            AvailableFrom = v.AvailableFrom?.ToUniversalTime(), AvailableUntil = v.AvailableUntil?.ToUniversalTime(),
        });

        Assert.Equal(before, VehicleRegistrations.Fingerprint(v));
    }

    [Fact]
    public void Every_part_of_the_working_hours_is_part_of_the_terms_and_their_spelling_is_not()
    {
        var hours = Full.WorkingHours!;
        var others = new[]
        {
            hours with { Start = "06:00" }, hours with { End = "17:00" }, hours with { TimeZone = "Europe/London" }, hours with { Days = ["mon"] },
            hours with { Days = null },
        };
        var spelledOtherwise = hours with { Start = " 07:00", TimeZone = " Europe/Paris ", Days = ["FRI", "mon", "fri"] };

        Assert.All(others, other => Assert.NotEqual(Terms(Full), Terms(Full with { WorkingHours = other })));
        Assert.Equal(Terms(Full), Terms(Full with { WorkingHours = spelledOtherwise }));
        Assert.NotEqual(Terms(Full), Terms(Full with { WorkingHours = null }));
    }

    [Fact]
    public void The_vehicles_id_and_times_are_not_terms() =>
        Assert.Equal(Terms(Full), Terms(Full, id: "veh-2", at: T0.AddMinutes(5)));

    [Fact]
    public void A_town_and_an_operator_spelled_alike_hold_keys_apart_and_services_hold_none()
    {
        static ClaimsPrincipal As(string role, string name) =>
            new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, name), new Claim(ClaimTypes.Role, role)], "test"));

        Assert.Equal("town:roanne", VehicleRegistrations.Caller(As(Roles.Town, "roanne")));
        Assert.Equal("operator:roanne", VehicleRegistrations.Caller(As(Roles.Operator, "roanne")));
        Assert.Null(VehicleRegistrations.Caller(As(Roles.Service, "matching")));
    }
}
