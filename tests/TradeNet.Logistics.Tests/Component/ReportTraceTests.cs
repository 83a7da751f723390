using System.Diagnostics;
using System.Net;
using TradeNet.Logistics.Domain;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A carrier's report starts a trace of its own; it must lead back to the trade's agreement.</summary>
public sealed class ReportTraceTests : IClassFixture<LogisticsApp>, IDisposable
{
    private readonly LogisticsApp app;
    private readonly SpanRecorder _spans = new(TradeNetTelemetry.Name, "MassTransit");

    public ReportTraceTests(LogisticsApp app)
    {
        this.app = app;
    }

    [Fact]
    public async Task A_carriers_pickup_report_links_to_the_trace_the_trade_was_agreed_in()
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.Swap(trade, a, b));
        var shipment = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).First(s => s.CarrierTown == a);
        var agreedIn = (await _spans.FirstAsync(s => s.Kind == ActivityKind.Consumer && (string?)s.GetTagItem(TradeNetTelemetry.TradeId) == trade.ToString(), "the agreement's consumer span")).TraceId;

        var pickup = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{shipment.Id}/pickup", TestSettings.TownAuth(a));

        Assert.Equal(HttpStatusCode.OK, pickup.StatusCode);
        var report = _spans.Stopped.Single(s => s.OperationName == "report shipment" && (string?)s.GetTagItem(TradeNetTelemetry.ShipmentId) == shipment.Id.ToString());
        Assert.Contains(agreedIn, report.Links.Select(l => l.Context.TraceId));
    }

    [Fact]
    public async Task The_failure_report_that_holds_a_leg_is_tagged_with_its_trade_and_transfer()
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.Swap(trade, a, b));
        var failures = new List<Guid>();

        for (var i = 0; i < 3; i++)
        {
            if (i > 0) await app.PlanAsync();
            var shipment = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()))
                .Single(s => s.LegIndex == 0 && s.Status == ShipmentStatus.Planned);
            await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{shipment.Id}/failure", TestSettings.TownAuth(a), new { reason = "bridge out" });
            failures.Add(shipment.Id);
        }

        var reports = failures.Select(id =>
            _spans.Stopped.Single(s => s.OperationName == "report shipment" && (string?)s.GetTagItem(TradeNetTelemetry.ShipmentId) == id.ToString())).ToList();
        Assert.All(reports, r => Assert.Equal(trade.ToString(), r.GetTagItem(TradeNetTelemetry.TradeId)));
        Assert.Equal(new object?[] { null, null, true }, reports.Select(r => r.GetTagItem("tradenet.transfer_held")));
        Assert.NotNull(reports[2].GetTagItem("tradenet.transfer_id"));
    }

    public void Dispose() => _spans.Dispose();
}
