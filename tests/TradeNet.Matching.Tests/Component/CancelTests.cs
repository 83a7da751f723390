using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Matching.Domain;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

public class CancelTests
{
    [Fact]
    public async Task Only_an_operator_may_cancel_a_trade()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);

        Assert.Equal(HttpStatusCode.Unauthorized, (await CancelAsync(host.As(null), trade.Id, "stuck")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await CancelAsync(host.Town(Swap.A), trade.Id, "stuck")).StatusCode);
        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(0, host.PublishedCount<TradeCancelled>());
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"reason":null}""")]
    [InlineData("""{"reason":""}""")]
    [InlineData("""{"reason":"   "}""")]
    [InlineData("""{"reason":"stuck\nINFO forged log line"}""")]
    [InlineData("""{"reason":"stuck\u0000"}""")]
    [InlineData("""{"reason":"tab\tinside"}""")]
    [InlineData("""{"reason":"\u202Ekcuts"}""")]
    [InlineData("""{"reason":"\u200B"}""")] // displays as nothing, yet Trim keeps it
    [InlineData("""{"reason":"\uFEFF\u00AD"}""")]
    [InlineData("""{"reason":"\u0301"}""")]
    [InlineData("null")]
    public async Task A_reason_that_is_missing_blank_invisible_or_holds_control_characters_is_a_400_naming_reason(string body)
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);

        var response = await PostAsync(host.Operator(), trade.Id, body);

        await AssertNamesReasonAsync(response);
        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);
    }

    [Fact]
    public async Task A_reason_of_500_characters_after_trimming_is_accepted_and_501_is_a_400()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);

        await AssertNamesReasonAsync(await CancelAsync(host.Operator(), trade.Id, new string('x', 501)));
        var ok = await CancelAsync(host.Operator(), trade.Id, "  " + new string('x', 500) + "  ");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.EndsWith(": " + new string('x', 500), (await ok.Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json))!.Reason);
    }

    [Theory]
    [InlineData("""{"reason":5}""", true)]
    [InlineData("""{"reason":"stuck" """, false)]
    [InlineData("not json", false)]
    [InlineData("", false)]
    public async Task A_malformed_or_missing_body_is_a_400_problem_never_a_500(string body, bool namesReason)
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);

        var response = await PostAsync(host.Operator(), trade.Id, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        if (namesReason) Assert.Contains("reason", text);
        Assert.DoesNotContain("   at ", text);
    }

    [Fact]
    public async Task A_post_without_any_body_is_a_400_naming_reason()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);

        await AssertNamesReasonAsync(await host.Operator().PostAsync($"/api/matching/trades/{trade.Id}/cancel", null));
    }

    [Fact]
    public async Task Cancelling_an_unknown_trade_is_a_404()
    {
        await using var host = new MatchingHost();

        var response = await CancelAsync(host.Operator(), Guid.NewGuid(), "stuck");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_operator_cancels_a_proposal_as_a_reject_would_and_its_quantities_go_back_into_the_book()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        var response = await CancelAsync(host.Operator(), trade.Id, "  towns asked us to  ");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json))!;
        Assert.Equal((TradeStatus.Cancelled, "cancelled by operator ops: towns asked us to"), (view.Status, view.Reason));
        Assert.Equal(trade.Version + 1, view.Version);
        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.False(cancelled.WasAgreed);
        Assert.Equal(view.Reason, cancelled.Reason);
        await Swap.AssertQuantitiesBackAsync(host, trade.Id);
    }

    /// <summary>The hosts name their operator "operator" by default: the reason read "cancelled by operator operator: …".</summary>
    [Theory]
    [InlineData("operator", "cancelled by operator: road closed")]
    [InlineData("Operator Jane", "cancelled by Operator Jane: road closed")]
    [InlineData("jane", "cancelled by operator jane: road closed")]
    public async Task The_reason_an_operators_cancel_records_names_the_operator_without_saying_operator_twice(string name, string recorded)
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        var response = await CancelAsync(host.As(TestSettings.OperatorAuth(name)), trade.Id, "road closed");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(recorded, (await response.Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json))!.Reason);
        Assert.Equal(recorded, (await host.Published<TradeCancelled>(c => c.TradeId == trade.Id)).Reason);
    }

    [Fact]
    public async Task An_agreed_trade_nothing_has_left_for_is_cancelled_and_its_reservation_released_through_the_outbox()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);

        var response = await CancelAsync(host.Operator(), trade.Id, "leg 1 can never be delivered");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json))!;
        Assert.Equal((TradeStatus.Cancelled, "cancelled by operator ops: leg 1 can never be delivered"), (view.Status, view.Reason));
        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.True(cancelled.WasAgreed);
        Assert.Equal(view.Reason, cancelled.Reason);
        Assert.Equal(trade.Legs.Select(l => (l.Index, l.OfferId, l.NeedId, l.Quantity)),
            cancelled.Legs.Select(l => (l.Index, l.OfferId, l.NeedId, l.Quantity)));
        var stored = await host.TradeAsync(trade.Id);
        Assert.Equal((TradeStatus.Cancelled, view.Version), (stored.Status, stored.Version));
        Assert.Equal(1, host.PublishedCount<TradeCancelled>());
    }

    [Fact]
    public async Task After_an_agreed_trade_is_cancelled_the_next_round_trades_its_quantities_again_once_catalog_releases_them()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        Assert.Equal(0, (await host.RunRoundAsync()).Trades);

        (await CancelAsync(host.Operator(), trade.Id, "stuck")).EnsureSuccessStatusCode();
        await host.Published<TradeCancelled>(c => c.TradeId == trade.Id && c.WasAgreed);
        // Catalog's snapshot is the truth: until it has released the reservation, matching offers nothing it may still hold.
        Assert.Equal(0, (await host.BookAsync()).Single(b => b.Id == "a-cheese").Available, 9);

        // What catalog publishes when it releases the reservation (reserve made v2, release v3).
        foreach (var listing in new[] { Swap.CheeseOffer(3), Swap.WoodNeed(3), Swap.WoodOffer(3), Swap.CheeseNeed(3) })
            await host.Publish(new ListingChanged(listing));
        await Eventually.True(async () => (await host.BookAsync()).All(b => b.Version == 3), what: "released snapshots in the book");

        var next = await host.RunRoundAsync();
        Assert.Equal(1, next.Trades);
        Assert.NotEqual(trade.Id, next.TradeIds.Single());
        Assert.Equal(10, (await host.TradeAsync(next.TradeIds.Single())).Legs.Single(l => l.OfferId == "a-cheese").Quantity, 9);
    }

    [Fact]
    public async Task An_agreed_trade_logistics_refuses_to_stop_is_a_409_naming_the_legs_on_the_road_and_stays_agreed()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        // Matching has not heard of the pickup yet: logistics, where it was reported, decides.
        host.Logistics!.OnStop = _ => FakeLogistics.Refused(1);

        var response = await CancelAsync(host.Operator(), trade.Id, "stuck");

        await AssertMovedLegsConflictAsync(response, [1]);
        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(0, host.PublishedCount<TradeCancelled>());
    }

    [Fact]
    public async Task A_pickup_matching_heard_of_does_not_refuse_the_cancel_when_logistics_stopped_the_goods()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        // Its trip failed in logistics, which matching has not heard of yet: logistics, which knows, stops the trade.
        await host.Publish(new ShipmentPickedUp(Guid.NewGuid(), trade.Id, 1, DateTimeOffset.UtcNow));
        await Eventually.Until(() => host.TradeAsync(trade.Id), t => t.Legs[1].PickedUp, what: "leg 1 picked up");

        var response = await CancelAsync(host.Operator(), trade.Id, "stuck");

        response.EnsureSuccessStatusCode();
        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(trade.Id)).Status);
    }

    [Fact]
    public async Task An_agreed_trade_is_stopped_in_logistics_with_the_recorded_reason_before_it_is_cancelled_and_a_proposal_is_not()
    {
        await using var host = new MatchingHost();
        var proposal = await Swap.ProposeAsync(host);
        (await CancelAsync(host.Operator(), proposal.Id, "towns asked us to")).EnsureSuccessStatusCode();
        Assert.Empty(host.Logistics!.Stops);
        var trade = await Swap.AgreeAsync(host);

        (await CancelAsync(host.Operator(), trade.Id, "stuck")).EnsureSuccessStatusCode();

        var stop = Assert.Single(host.Logistics.Stops);
        Assert.Equal((trade.Id.ToString(), "cancelled by operator ops: stuck"), (stop.TradeId, stop.Reason));
    }

    [Theory]
    [InlineData(Grpc.Core.StatusCode.Unavailable)]
    [InlineData(Grpc.Core.StatusCode.DeadlineExceeded)]
    [InlineData(Grpc.Core.StatusCode.Aborted)]
    public async Task Logistics_unreachable_or_too_slow_is_a_503_to_retry_and_the_trade_stays_agreed(Grpc.Core.StatusCode status)
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        host.Logistics!.OnStop = _ => throw new Grpc.Core.RpcException(new Grpc.Core.Status(status, "down"));

        var response = await CancelAsync(host.Operator(), trade.Id, "stuck");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("logistics", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var stored = await host.TradeAsync(trade.Id);
        Assert.Equal((TradeStatus.Agreed, trade.Version), (stored.Status, stored.Version));
        Assert.Equal(0, host.PublishedCount<TradeCancelled>());
    }

    [Fact]
    public async Task Logistics_refusing_the_call_itself_is_a_502_and_the_trade_stays_agreed()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        host.Logistics!.OnStop = _ => throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.PermissionDenied, "no"));

        var response = await CancelAsync(host.Operator(), trade.Id, "stuck");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(0, host.PublishedCount<TradeCancelled>());
    }

    [Fact]
    public async Task An_agreed_trade_logistics_stopped_is_cancelled_with_the_legs_logistics_says_arrived_even_before_matching_heard_of_them()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        var arrived = DateTimeOffset.UtcNow.AddMinutes(-3);
        host.Logistics!.OnStop = _ => FakeLogistics.StoppedWithDelivered(arrived, 0);

        var response = await CancelAsync(host.Operator(), trade.Id, "the other leg's road stays closed");

        response.EnsureSuccessStatusCode();
        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.True(cancelled.WasAgreed);
        Assert.Equal([0], cancelled.DeliveredLegs ?? []);
        var stored = await host.TradeAsync(trade.Id);
        Assert.Equal(TradeStatus.Cancelled, stored.Status);
        Assert.True(stored.Legs[0].Delivered);
        Assert.Equal(arrived.ToUnixTimeMilliseconds(), stored.Legs[0].DeliveredAt?.ToUnixTimeMilliseconds());
        Assert.False(stored.Legs[1].Delivered);

        // The delivery report that follows finds the leg delivered already: nothing to settle.
        var report = Guid.NewGuid();
        await host.Publish(new ShipmentDelivered(Guid.NewGuid(), trade.Id, 0, arrived), report);
        // Read once it was consumed (a fixed wait passed whatever the consumer did, when it had not run yet).
        await Eventually.True(() => Task.FromResult(host.Harness.ConsumedSoFar<ShipmentDelivered>().Any(m => m.Context.MessageId == report)),
            what: "the delivery report consumed");
        Assert.Equal(stored.Version, (await host.TradeAsync(trade.Id)).Version);
    }

    [Fact]
    public async Task Cancelling_a_trade_whose_every_leg_logistics_says_arrived_completes_it_instead_and_answers_409()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        var arrived = DateTimeOffset.UtcNow.AddMinutes(-3);
        host.Logistics!.OnStop = _ => FakeLogistics.StoppedWithDelivered(arrived, 0, 1);

        var response = await CancelAsync(host.Operator(), trade.Id, "too late");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("completed", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var completed = await host.Published<TradeCompleted>(c => c.TradeId == trade.Id);
        Assert.Equal(2, completed.Legs.Length);
        Assert.Equal(TradeStatus.Completed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(0, host.PublishedCount<TradeCancelled>());
    }

    [Fact]
    public async Task A_crash_after_logistics_stopped_the_goods_and_before_matching_committed_is_finished_by_cancelling_again()
    {
        var store = new HookedStore();
        await using var host = new MatchingHost { WrapStore = store.Wrap };
        var trade = await Swap.AgreeAsync(host);
        var arrived = DateTimeOffset.UtcNow.AddMinutes(-3);
        host.Logistics!.OnStop = _ => FakeLogistics.StoppedWithDelivered(arrived, 1);
        store.BeforeNextWrite(() => throw new IOException("the process died here"));

        var crashed = await CancelAsync(host.Operator(), trade.Id, "stuck");
        Assert.Equal(HttpStatusCode.InternalServerError, crashed.StatusCode);
        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(0, host.PublishedCount<TradeCancelled>());

        var retried = await CancelAsync(host.Operator(), trade.Id, "stuck");

        retried.EnsureSuccessStatusCode();
        Assert.Equal(2, host.Logistics.Stops.Count);
        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.Equal([1], cancelled.DeliveredLegs ?? []);
        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(trade.Id)).Status);
    }

    [Fact]
    public async Task A_completed_trade_cannot_be_cancelled()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        await host.Publish(new ShipmentDelivered(Guid.NewGuid(), trade.Id, 0, DateTimeOffset.UtcNow));
        await host.Publish(new ShipmentDelivered(Guid.NewGuid(), trade.Id, 1, DateTimeOffset.UtcNow));
        await host.Published<TradeCompleted>(c => c.TradeId == trade.Id);

        var response = await CancelAsync(host.Operator(), trade.Id, "too late");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("completed", await response.Content.ReadAsStringAsync());
        Assert.Equal(TradeStatus.Completed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(0, host.PublishedCount<TradeCancelled>());
    }

    [Fact]
    public async Task A_cancelled_trade_cannot_be_cancelled_again()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        (await CancelAsync(host.Operator(), trade.Id, "stuck")).EnsureSuccessStatusCode();

        var again = await CancelAsync(host.Operator(), trade.Id, "stuck");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("cancelled", await again.Content.ReadAsStringAsync());
        await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        await Task.Delay(300);
        Assert.Equal(1, host.PublishedCount<TradeCancelled>());
    }

    private static Task<HttpResponseMessage> CancelAsync(HttpClient client, Guid tradeId, string reason) =>
        client.PostAsJsonAsync($"/api/matching/trades/{tradeId}/cancel", new { reason });

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, Guid tradeId, string body) =>
        client.PostAsync($"/api/matching/trades/{tradeId}/cancel", new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task AssertNamesReasonAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _), $"errors should name 'reason': {problem}");
    }

    private static async Task AssertMovedLegsConflictAsync(HttpResponseMessage response, int[] legs)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(legs, problem.GetProperty("legs").EnumerateArray().Select(l => l.GetInt32()));
        foreach (var leg in legs) Assert.Contains($"leg {leg}", problem.GetProperty("detail").GetString());
    }
}
