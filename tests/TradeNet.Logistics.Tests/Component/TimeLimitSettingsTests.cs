namespace TradeNet.Logistics.Tests.Component;

/// <remarks>A host per case: each one starts the service with its own time-limit settings.</remarks>
public class TimeLimitSettingsTests
{
    [Theory]
    [InlineData("RideTimeFactor", "0.5", "Logistics:RideTimeFactor")]
    [InlineData("RideTimeFactor", "-1", "Logistics:RideTimeFactor")]
    [InlineData("RideTimeSlack", "-00:10:00", "Logistics:RideTimeSlack")]
    [InlineData("ChilledRideTimeSlack", "-00:10:00", "Logistics:ChilledRideTimeSlack")]
    [InlineData("MaxRouteHours", "0.5", "Logistics:MaxRouteHours")]
    [InlineData("MaxRouteHours", "25", "Logistics:MaxRouteHours")]
    public void A_time_limit_setting_out_of_range_stops_the_service_from_starting_naming_it(string key, string value, string named)
    {
        using var app = new LogisticsApp { Settings = { [$"Logistics:{key}"] = value } };

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        Assert.True(error.ToString().Contains(named, StringComparison.Ordinal), error.ToString());
    }
}
