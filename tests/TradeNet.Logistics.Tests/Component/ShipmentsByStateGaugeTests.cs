using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A host of its own: the gauge counts every shipment of the store, so another test's shipments would change it.</summary>
public sealed class ShipmentsByStateGaugeTests : IDisposable
{
    private readonly LogisticsApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task The_shipments_gauge_reports_how_many_shipments_are_in_each_state_once_the_poller_has_read_the_store()
    {
        var store = _app.Services.GetRequiredService<ILogisticsStore>();
        var now = DateTimeOffset.UtcNow;
        await using (var session = await store.BeginAsync())
        {
            var trade = Guid.NewGuid();
            var statuses = new[] { ShipmentStatus.Planned, ShipmentStatus.PickedUp, ShipmentStatus.PickedUp, ShipmentStatus.Failed };
            for (var leg = 0; leg < statuses.Length; leg++)
            {
                var transfer = new TransferOrder(Guid.NewGuid(), trade, leg, "roanne", "lyon", Towns.Roanne, Towns.Lyon, "cheese", 40, 40,
                    null, null, TransferStatus.Planned, now);
                await session.AddTransferAsync(transfer);
                await session.AddShipmentAsync(new Shipment(Guid.NewGuid(), trade, leg, transfer.Id, "roanne", "lyon", "roanne",
                    "direct-roanne", Guid.NewGuid(), statuses[leg], 86, 43, now.AddHours(2), [], now));
            }
            await session.CommitAsync();
        }
        var poller = _app.Services.GetServices<IHostedService>().OfType<StateGaugePoller<ShipmentStatus>>().Single();
        var expected = new Dictionary<string, long>
        {
            ["planned"] = 1, ["picked_up"] = 2, ["delivered"] = 0, ["failed"] = 1, ["cancelled"] = 0,
        };

        var reported = await StateGaugeReader.PollUntil(poller, expected);

        Assert.Equal(expected, reported);
        Assert.Equal(StateGauges.Shipments, poller.Gauge);
    }
}
