using TradeNet.Contracts;
using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Tests.Domain;

public class PlannedLoadsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid Route = Guid.NewGuid();

    private static (Shipment, TransferOrder) Leg(double kg, int pickupAt, int deliveryAt, ShipmentStatus status = ShipmentStatus.Planned,
        string category = "firewood", Guid? route = null)
    {
        var transfer = new TransferOrder(Guid.NewGuid(), Guid.NewGuid(), 0, "a", "b", new TradePoint(46, 4), new TradePoint(46.1, 4), category,
            kg, kg, null, null, TransferStatus.Planned, T0);
        var shipment = new Shipment(Guid.NewGuid(), transfer.TradeId, 0, transfer.Id, "a", "b", "a", "v1", route ?? Route, status, 10, 5, T0,
            [new ShipmentStop(pickupAt, "a", "pickup", T0), new ShipmentStop(deliveryAt, "b", "delivery", T0)], T0);
        return (shipment, transfer);
    }

    private static double Peak(params (Shipment S, TransferOrder T)[] legs) =>
        PlannedLoads.PeakKg([.. legs.Select(l => l.S)], legs.ToDictionary(l => l.T.Id, l => l.T));

    [Fact]
    public void The_peak_counts_goods_on_board_together_and_not_those_unloaded_before_others_are_loaded()
    {
        Assert.Equal(700, Peak(Leg(300, 1, 3), Leg(400, 2, 4)));
        Assert.Equal(400, Peak(Leg(300, 1, 2), Leg(400, 2, 3)));
        Assert.Equal(400, Peak(Leg(300, 1, 2), Leg(400, 3, 4, route: Guid.NewGuid())));
    }

    [Fact]
    public void Goods_already_picked_up_are_on_board_from_the_start()
    {
        Assert.Equal(700, Peak(Leg(300, 5, 6, ShipmentStatus.PickedUp), Leg(400, 1, 7)));
    }

    [Fact]
    public void A_change_is_a_misfit_only_when_the_planned_goods_no_longer_fit()
    {
        var van = new Vehicle("v1", "a", new TradePoint(46, 4), "van", 1000, null, true, 0.5, 20, null, null, T0, T0);
        var (s1, t1) = Leg(300, 1, 3, category: "cheese");
        var (s2, t2) = Leg(400, 2, 4);
        var transfers = new Dictionary<Guid, TransferOrder> { [t1.Id] = t1, [t2.Id] = t2 };
        bool Chilled(string c) => c == "cheese";

        Assert.Null(PlannedLoads.Misfit(van, van with { CapacityKg = 700 }, [s1, s2], transfers, Chilled));
        Assert.StartsWith("capacityKg", PlannedLoads.Misfit(van, van with { CapacityKg = 699 }, [s1, s2], transfers, Chilled));
        Assert.StartsWith("chilled", PlannedLoads.Misfit(van, van with { Chilled = false }, [s1, s2], transfers, Chilled));
        Assert.Null(PlannedLoads.Misfit(van, van with { Chilled = false }, [s2], transfers, Chilled));
        Assert.Null(PlannedLoads.Misfit(van, van with { CapacityKg = 1 }, [], transfers, Chilled));
    }
}
