using TradeNet.Logistics.Planner;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>With no vehicle at all, each transfer is reported for want of one, and only chilled goods for want of a chilled one.</summary>
public class EmptyFleetTests
{
    [Fact]
    public void Goods_that_need_no_cooling_are_not_reported_as_chilled_when_the_fleet_is_empty()
    {
        var request = Request([Leg("plain", 1, 2), Leg("cold", 1, 2, chilled: true)], []);

        var plan = PlanValid(request);

        var plain = plan.Unserved.Single(u => u.TransferId == "plain");
        Assert.Equal(UnservedReason.NoVehicleWithCapacity, plain.Reason);
        Assert.DoesNotContain("chilled", plain.Detail);
        Assert.Equal(UnservedReason.NoChilledVehicle, plan.Unserved.Single(u => u.TransferId == "cold").Reason);
    }
}
