using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Tests;

public sealed class TradeTelemetryTests
{
    [Fact]
    public void A_request_to_a_trade_route_is_tagged_with_the_trade_id()
    {
        var trade = Guid.NewGuid();
        using var activity = new Activity("POST").Start();

        TradeRouteTags.Tag(activity, $"/api/matching/trades/{trade}/accept", "");

        Assert.Equal(trade.ToString(), activity.GetTagItem(TradeNetTelemetry.TradeId));
    }

    [Fact]
    public void The_gateways_reads_of_the_revoked_key_feed_are_left_out_of_traces_and_other_catalog_calls_are_not()
    {
        Assert.True(TelemetryExtensions.IsPolled("/tradenet.catalog.v1.Catalog/GetRevokedKeys"));
        Assert.False(TelemetryExtensions.IsPolled("/tradenet.catalog.v1.Catalog/AuthenticateApiKey"));
        Assert.False(TelemetryExtensions.IsPolled("/api/catalog/towns"));
        Assert.False(TelemetryExtensions.IsPolled(null));
    }

    [Fact]
    public void A_shipment_report_is_tagged_with_the_shipment_and_a_listing_query_with_the_trade()
    {
        Guid shipment = Guid.NewGuid(), trade = Guid.NewGuid();
        using var report = new Activity("POST").Start();
        using var list = new Activity("GET").Start();

        TradeRouteTags.Tag(report, $"/api/logistics/shipments/{shipment}/pickup", null);
        TradeRouteTags.Tag(list, "/api/logistics/shipments", trade.ToString());

        Assert.Equal(shipment.ToString(), report.GetTagItem(TradeNetTelemetry.ShipmentId));
        Assert.Null(report.GetTagItem(TradeNetTelemetry.TradeId));
        Assert.Equal(trade.ToString(), list.GetTagItem(TradeNetTelemetry.TradeId));
    }

    [Fact]
    public void A_listing_event_tags_the_listing_and_its_town_from_the_snapshot()
    {
        var snapshot = new ListingSnapshot("lst-1", "town-9", "offer", "cheese", "kg", 10, 1, 100, 100, 1, [], [], null, null, null,
            46.0, 4.0, 1);
        using var activity = new Activity("consume").Start();

        TradeNetTelemetry.TagTrade(activity, new ListingPublished(snapshot));

        Assert.Equal("lst-1", activity.GetTagItem(TradeNetTelemetry.ListingId));
        Assert.Equal("town-9", activity.GetTagItem(TradeNetTelemetry.TownId));
    }

    [Fact]
    public void A_step_in_a_new_trace_links_to_the_trade_s_trace_but_a_step_in_the_same_trace_does_not()
    {
        using var proposal = new Activity("clearing round").SetIdFormat(ActivityIdFormat.W3C).Start();
        var traceParent = proposal.Id;
        proposal.Stop();
        using var sameTrace = new Activity("relay").SetIdFormat(ActivityIdFormat.W3C).SetParentId(traceParent!).Start();
        sameTrace.Stop();
        using var answer = new Activity("accept trade").SetIdFormat(ActivityIdFormat.W3C).Start();

        TradeNetTelemetry.LinkTo(answer, traceParent);
        TradeNetTelemetry.LinkTo(sameTrace, traceParent);

        Assert.Equal(proposal.TraceId, Assert.Single(answer.Links).Context.TraceId);
        Assert.Empty(sameTrace.Links);
    }

    [Fact]
    public void A_step_that_reads_its_trade_again_after_a_write_conflict_links_to_the_trades_trace_once()
    {
        // TradeLifecycle and OperatorCancellation link on each attempt of their write loop: an accept that lost a race showed
        // the clearing round twice under the span's links.
        using var proposal = new Activity("clearing round").SetIdFormat(ActivityIdFormat.W3C).Start();
        var traceParent = proposal.Id;
        proposal.Stop();
        using var answer = new Activity("accept trade").SetIdFormat(ActivityIdFormat.W3C).Start();

        TradeNetTelemetry.LinkTo(answer, traceParent);
        TradeNetTelemetry.LinkTo(answer, traceParent);

        Assert.Equal(proposal.TraceId, Assert.Single(answer.Links).Context.TraceId);
    }

    [Fact]
    public void A_span_started_inside_a_trade_span_inherits_its_ids()
    {
        var trade = Guid.NewGuid().ToString();
        using var parent = new Activity("reserve listings").Start();
        parent.SetTag(TradeNetTelemetry.TradeId, trade);
        using var grpcCall = new Activity("grpc").Start();

        new TradeTagInheritance().OnStart(grpcCall);

        Assert.Equal(trade, grpcCall.GetTagItem(TradeNetTelemetry.TradeId));
    }

    [Fact]
    public async Task Published_trade_events_count_trades_by_state_and_proposals_by_outcome()
    {
        var seen = new ConcurrentBag<(string Instrument, string? State)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TradeNetTelemetry.Name) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == TradeNetTelemetry.State) seen.Add((instrument.Name, tag.Value as string));
        });
        listener.Start();
        await using var provider = new ServiceCollection()
            .AddMassTransitTestHarness()
            .AddPublishObserver<TradeStatePublishObserver>()
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        await harness.Bus.Publish(new TradeAgreed(Guid.NewGuid(), []));
        await harness.Bus.Publish(new TradeCancelled(Guid.NewGuid(), "expired", false, []));
        await harness.Bus.Publish(new ShipmentDelivered(Guid.NewGuid(), Guid.NewGuid(), 0, DateTimeOffset.UtcNow));

        Assert.Contains(("tradenet.trades", "agreed"), seen);
        Assert.Contains(("tradenet.proposals", "accepted"), seen);
        Assert.Contains(("tradenet.trades", "cancelled"), seen);
        Assert.Contains(("tradenet.proposals", "expired"), seen);
        Assert.Contains(("tradenet.shipments", "delivered"), seen);
    }
}
