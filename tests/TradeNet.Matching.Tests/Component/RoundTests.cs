using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

public class RoundTests
{
    [Fact]
    public async Task A_rounds_listings_count_only_those_it_could_trade_so_one_below_its_min_lot_is_left_out_as_the_engine_leaves_it()
    {
        await using var host = new MatchingHost();
        // 2 kg of honey left of a listing whose lot is 5 kg: no leg can take it, so the round does not see it (README, "Clearing").
        var crumbs = Swap.Listing("a-honey", Swap.A, "offer", "honey", 10, 2, 12) with { MinLot = 5 };
        await host.PublishListingsAsync([.. Swap.All, crumbs]);

        var round = await host.RunRoundAsync();

        Assert.Equal(Swap.All.Length, round.Listings);
        Assert.Equal(Swap.All.Length, (await host.Operator().GetFromJsonAsync<RoundSummaryView[]>("/api/matching/rounds", MatchingHost.Json))!
            .Single(r => r.Id == round.Id).Listings);
    }

    [Fact]
    public async Task A_proposal_ends_when_the_first_of_its_legs_windows_does_if_that_comes_before_the_usual_deadline()
    {
        await using var host = new MatchingHost();
        var until = DateTimeOffset.UtcNow.AddHours(2);
        await host.PublishListingsAsync(Swap.CheeseOffer() with { AvailableUntil = until }, Swap.WoodNeed(), Swap.WoodOffer(), Swap.CheeseNeed());

        var round = await host.RunRoundAsync();

        var proposed = await host.Published<TradeProposed>(p => p.RoundId == round.Id);
        Assert.Equal(until.ToUnixTimeMilliseconds(), proposed.Deadline.ToUnixTimeMilliseconds());
        Assert.Equal(until.ToUnixTimeMilliseconds(), (await host.TradeAsync(proposed.TradeId)).Deadline.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_proposals_deadline_is_announced_and_stored_in_the_same_whole_milliseconds()
    {
        // A clock with ticks below the millisecond, as a real one has: MongoDB would keep the deadline to the millisecond.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero).AddTicks(12_345_678));
        await using var host = new MatchingHost { Clock = clock };
        await host.PublishListingsAsync(Swap.All);

        var round = await host.RunRoundAsync();

        var proposed = await host.Published<TradeProposed>(p => p.RoundId == round.Id);
        Assert.Equal(0, proposed.Deadline.UtcTicks % TimeSpan.TicksPerMillisecond);
        Assert.Equal(proposed.Deadline, (await host.TradeAsync(proposed.TradeId)).Deadline);
        Assert.InRange(proposed.Deadline, clock.GetUtcNow().AddHours(24).AddMilliseconds(-1), clock.GetUtcNow().AddHours(24));
    }

    [Fact]
    public async Task Listings_from_the_bus_are_cleared_by_an_operators_round_into_a_published_proposal()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Swap.All);

        var response = await host.Operator().PostAsync("/api/matching/rounds", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var round = (await response.Content.ReadFromJsonAsync<RoundView>(MatchingHost.Json))!;
        Assert.Equal($"/api/matching/rounds/{round.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal((4, 1, 240.0, "completed"), (round.Listings, round.Trades, round.Objective, round.Status));
        Assert.Equal("requested by ops", round.Trigger);
        var proposed = await host.Published<TradeProposed>(p => p.RoundId == round.Id);
        Assert.Equal(round.TradeIds.Single(), proposed.TradeId);
        Assert.InRange(proposed.Deadline - round.StartedAt, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        var cheese = proposed.Legs.Single(l => l.Category == "cheese");
        Assert.Equal((Swap.A, Swap.B, "a-cheese", "b-cheese", 10.0, 120.0), (cheese.FromTown, cheese.ToTown, cheese.OfferId, cheese.NeedId, cheese.Quantity, cheese.Value));
        Assert.Equal(new TradePoint(46.0367, 4.0683), cheese.From);
        Assert.Equal(new TradePoint(46.0430, 4.0400), cheese.To);

        var trade = await host.TradeAsync(proposed.TradeId);
        Assert.Equal(TradeStatus.Proposed, trade.Status);
        Assert.All(trade.Legs, l => Assert.Equal(LegResponse.Pending, l.Response));
        var read = (await host.Operator().GetFromJsonAsync<RoundView>($"/api/matching/rounds/{round.Id}", MatchingHost.Json))!;
        Assert.Equal((round.Id, round.Trades, round.Objective), (read.Id, read.Trades, read.Objective));
        Assert.Equal(round.TradeIds, read.TradeIds);
        Assert.Single((await host.Operator().GetFromJsonAsync<RoundSummaryView[]>("/api/matching/rounds", MatchingHost.Json))!);
    }

    [Fact]
    public async Task The_list_of_rounds_leaves_the_trade_ids_out_and_a_single_round_keeps_them()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Swap.All);
        var round = await host.RunRoundAsync();

        var list = JsonDocument.Parse(await host.Operator().GetStringAsync("/api/matching/rounds?limit=10")).RootElement;
        var single = JsonDocument.Parse(await host.Operator().GetStringAsync($"/api/matching/rounds/{round.Id}")).RootElement;

        var listed = Assert.Single(list.EnumerateArray());
        Assert.False(listed.TryGetProperty("tradeIds", out _));
        // Everything else stays: the figures, the trade count and the quality.
        Assert.Equal((round.Id, 1, 240.0, "completed"),
            (listed.GetProperty("id").GetGuid(), listed.GetProperty("trades").GetInt32(), listed.GetProperty("objective").GetDouble(),
             listed.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Object, listed.GetProperty("quality").ValueKind);
        Assert.Equal(round.TradeIds, single.GetProperty("tradeIds").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Single(round.TradeIds);
    }

    [Fact]
    public async Task A_second_round_does_not_propose_quantities_a_pending_proposal_holds()
    {
        await using var host = new MatchingHost();
        await Swap.ProposeAsync(host);

        var second = await host.RunRoundAsync();

        Assert.Equal(0, second.Trades);
        var book = await host.BookAsync();
        Assert.Equal(10, book.Single(b => b.Id == "a-cheese").Held, 9);
        Assert.Equal(0, book.Single(b => b.Id == "a-cheese").Available, 9);
        Assert.Equal(50, book.Single(b => b.Id == "b-wood").Available, 9);
    }

    [Fact]
    public async Task A_trade_agreed_while_a_round_reads_the_book_is_not_proposed_again()
    {
        var store = new HookedStore();
        await using var host = new MatchingHost { WrapStore = store.Wrap };
        var trade = await Swap.ProposeAsync(host);
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();
        store.AfterNextRead(async () => (await Swap.AcceptAsync(host, Swap.B, trade.Id)).EnsureSuccessStatusCode());

        var round = await host.RunRoundAsync();

        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(0, round.Trades);
    }

    [Fact]
    public async Task Only_operators_start_or_read_rounds()
    {
        await using var host = new MatchingHost();

        Assert.Equal(HttpStatusCode.Forbidden, (await host.Town(Swap.A).PostAsync("/api/matching/rounds", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.As(null).PostAsync("/api/matching/rounds", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Town(Swap.A).GetAsync("/api/matching/rounds")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Operator().GetAsync($"/api/matching/rounds/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        await using var host = new MatchingHost();
        var forged = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            TestSettings.TokenFor("ops", "operator", key: "not-the-key-not-the-key-not-the-key-0000"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.As(forged).PostAsync("/api/matching/rounds", null)).StatusCode);
    }

    [Theory]
    [InlineData("/api/matching/rounds?limit=0", "limit")]
    [InlineData("/api/matching/rounds?limit=abc", "limit")]
    [InlineData("/api/matching/trades?limit=99999999999", "limit")]
    [InlineData("/api/matching/trades?status=lost", "status")]
    public async Task A_bad_query_is_a_400_that_names_the_field(string query, string field)
    {
        await using var host = new MatchingHost();

        var response = await host.Operator().GetAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("status=")]
    [InlineData("status=%20&limit=")]
    public async Task An_empty_status_filters_nothing_as_if_it_were_left_out(string query)
    {
        await using var host = new MatchingHost();
        var proposed = await Swap.ProposeAsync(host);
        (await host.Town(Swap.A).PostAsync($"/api/matching/trades/{proposed.Id}/reject", null)).EnsureSuccessStatusCode();
        var next = await host.RunRoundAsync();

        var all = (await host.Operator().GetFromJsonAsync<TradeView[]>($"/api/matching/trades?{query}", MatchingHost.Json))!;
        var own = (await host.Town(Swap.B).GetFromJsonAsync<TradeView[]>($"/api/matching/trades?{query}", MatchingHost.Json))!;

        // The cancelled proposal and the new one: every status.
        Guid[] both = [.. new[] { proposed.Id, next.TradeIds.Single() }.Order()];
        Assert.Equal(both, all.Select(t => t.Id).Order());
        Assert.Equal(both, own.Select(t => t.Id).Order());
    }

    [Fact]
    public async Task A_scheduled_round_runs_when_an_interval_is_configured()
    {
        await using var host = new MatchingHost(new() { ["Matching:RoundInterval"] = "00:00:00.500" });
        await host.PublishListingsAsync(Swap.All);

        var proposed = await host.Published<TradeProposed>();

        var rounds = (await host.Operator().GetFromJsonAsync<RoundSummaryView[]>("/api/matching/rounds", MatchingHost.Json))!;
        var scheduled = Assert.Single(rounds, r => r.Trigger == "schedule" && r.Trades == 1);
        var read = (await host.Operator().GetFromJsonAsync<RoundView>($"/api/matching/rounds/{scheduled.Id}", MatchingHost.Json))!;
        Assert.Equal([proposed.TradeId], read.TradeIds);
    }

    [Fact]
    public async Task A_listing_withdrawn_while_a_round_is_solving_leaves_no_proposal_holding_the_other_towns_quantities()
    {
        var strategy = new GatedStrategy();
        await using var host = new MatchingHost { Strategy = strategy };
        var round = await RoundWithBWoodWithdrawnWhileSolvingAsync(host, strategy);

        var trade = await host.TradeAsync(Assert.Single(round.TradeIds));
        Assert.Equal((TradeStatus.Cancelled, "listing b-wood withdrawn"), (trade.Status, trade.Reason));
        Assert.All(await host.BookAsync(), b => Assert.Equal(0, b.Held));
        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.False(cancelled.WasAgreed);
    }

    [Fact]
    public async Task A_round_whose_write_cancels_proposals_at_once_says_how_many_in_its_log_line_and_span()
    {
        var strategy = new GatedStrategy();
        var logs = new RecordedLogs();
        using var spans = new SpanRecorder(TradeNet.Shared.Hosting.TradeNetTelemetry.Name);
        await using var host = new MatchingHost { Strategy = strategy, Logs = logs };
        var round = await RoundWithBWoodWithdrawnWhileSolvingAsync(host, strategy);

        // The record counts the proposal (its id is the round's, TradeProposed went out); the operator reading "1 trades" is
        // told that it is no longer pending.
        Assert.Equal(1, round.Trades);
        var line = Assert.Single(logs.Of<ClearingRounds>(), l => l.StartsWith($"Clearing round {round.Id}", StringComparison.Ordinal));
        Assert.Contains("1 of them cancelled in its write", line);
        var span = Assert.Single(spans.Stopped, a => a.OperationName == "clearing round" && (string?)a.GetTagItem("tradenet.round_id") == round.Id.ToString());
        Assert.Equal(1, span.GetTagItem(ClearingRounds.CancelledTag));
    }

    [Fact]
    public async Task A_listing_whose_window_ends_while_a_round_is_solving_leaves_no_proposal_born_past_its_deadline_holding_the_book()
    {
        var strategy = new GatedStrategy();
        var clock = new ShiftedClock();
        await using var host = new MatchingHost { Strategy = strategy, Clock = clock };
        var until = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds());
        await host.PublishListingsAsync(Swap.CheeseOffer() with { AvailableUntil = until }, Swap.WoodNeed(), Swap.WoodOffer(), Swap.CheeseNeed());
        var running = host.RunRoundAsync();
        await strategy.Started;

        clock.Shift = TimeSpan.FromMinutes(11); // the cheese is no longer available when the round writes
        strategy.Release();
        var round = await running;

        var trade = await host.TradeAsync(Assert.Single(round.TradeIds));
        Assert.Equal(until, trade.Deadline);
        Assert.Equal((TradeStatus.Cancelled, "expired: listing a-cheese available until " + until.ToString("O") + ", which passed while the round solved"),
            (trade.Status, trade.Reason));
        Assert.All(await host.BookAsync(), b => Assert.Equal(0, b.Held));
        Assert.False((await host.Published<TradeCancelled>(c => c.TradeId == trade.Id)).WasAgreed);
    }

    [Fact]
    public async Task Two_matching_instances_on_one_store_take_turns_so_no_quantity_is_proposed_twice()
    {
        var strategy = new GatedStrategy();
        await using var first = new MatchingHost { Strategy = strategy };
        await first.PublishListingsAsync(Swap.All);
        await using var second = new MatchingHost(new() { ["Storage:DataDir"] = first.DataDir });
        var running = first.RunRoundAsync();
        await strategy.Started;

        var waiting = second.RunRoundAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(waiting.IsCompleted, "the second instance's round ran while the first one's was solving");
        strategy.Release();

        Assert.Single((await running).TradeIds);
        Assert.Empty((await waiting).TradeIds); // it saw the first round's proposal holding everything
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_round_whose_lease_ran_out_while_it_solved_proposes_nothing_and_says_so_whether_or_not_the_other_instance_still_holds_it(
        bool otherInstanceGaveItBack)
    {
        var strategy = new GatedStrategy();
        await using var host = new MatchingHost { Strategy = strategy };
        await host.PublishListingsAsync(Swap.All);
        var running = host.Operator().PostAsync("/api/matching/rounds", null);
        await strategy.Started;

        // Another instance finds the lease run out (as after a stall longer than the lease) and takes it; it may
        // also have cleared and let go before this round writes.
        var store = host.Services.GetRequiredService<IMatchingStore>();
        var later = DateTimeOffset.UtcNow.AddHours(1);
        Assert.True(await store.TryTakeLeaseAsync(ClearingRounds.LeaseName, "another instance", later, later.AddMinutes(5)));
        if (otherInstanceGaveItBack) await store.ReleaseLeaseAsync(ClearingRounds.LeaseName, "another instance");
        strategy.Release();
        var response = await running;

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("lease ran out", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty((await host.Operator().GetFromJsonAsync<RoundSummaryView[]>("/api/matching/rounds", MatchingHost.Json))!);
        Assert.All(await host.BookAsync(), b => Assert.Equal(0, b.Held));
        Assert.Equal(0, host.PublishedCount<TradeProposed>());
    }

    [Fact]
    public async Task A_round_waits_out_the_lease_of_an_instance_that_died_mid_round_and_then_clears()
    {
        await using var host = new MatchingHost(new() { ["Matching:RoundLease"] = "00:00:02" });
        await host.PublishListingsAsync(Swap.All);
        var store = host.Services.GetRequiredService<IMatchingStore>();
        var now = DateTimeOffset.UtcNow;
        // Taken by an instance killed right after: nobody renews it.
        Assert.True(await store.TryTakeLeaseAsync(ClearingRounds.LeaseName, "a killed instance", now, now.AddSeconds(2)));

        var response = await host.Operator().PostAsync("/api/matching/rounds", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_round_while_another_instance_keeps_its_lease_gives_up_after_about_one_lease_with_a_409_saying_so()
    {
        await using var host = new MatchingHost(new() { ["Matching:RoundLease"] = "00:00:02" });
        await host.PublishListingsAsync(Swap.All);
        var store = host.Services.GetRequiredService<IMatchingStore>();
        var now = DateTimeOffset.UtcNow;
        // A live instance's round: its renewals keep the lease far ahead.
        Assert.True(await store.TryTakeLeaseAsync(ClearingRounds.LeaseName, "a live instance", now, now.AddMinutes(5)));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await host.Operator().PostAsync("/api/matching/rounds", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Another matching instance is running", problem.GetProperty("detail").GetString());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        Assert.Equal(0, host.PublishedCount<TradeProposed>());
    }

    [Fact]
    public async Task A_round_whose_lease_is_taken_between_its_last_check_and_its_write_proposes_nothing()
    {
        var store = new HookedStore();
        var strategy = new GatedStrategy();
        await using var host = new MatchingHost { Strategy = strategy, WrapStore = store.Wrap };
        await host.PublishListingsAsync(Swap.All);
        var running = host.Operator().PostAsync("/api/matching/rounds", null);
        await strategy.Started;
        // Its lease checked and renewed while it solved; then (a stall longer than the lease) another instance takes it over.
        var later = DateTimeOffset.UtcNow.AddHours(1);
        store.BeforeNextWrite(async () =>
            Assert.True(await store.TryTakeLeaseAsync(ClearingRounds.LeaseName, "another instance", later, later.AddMinutes(5))));
        strategy.Release();

        var response = await running;

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Empty((await host.Operator().GetFromJsonAsync<RoundSummaryView[]>("/api/matching/rounds", MatchingHost.Json))!);
        Assert.All(await host.BookAsync(), b => Assert.Equal(0, b.Held));
        Assert.Equal(0, host.PublishedCount<TradeProposed>());
    }

    /// <summary>A round over the swap in which town B withdraws its firewood while the strategy solves.</summary>
    private static async Task<RoundView> RoundWithBWoodWithdrawnWhileSolvingAsync(MatchingHost host, GatedStrategy strategy)
    {
        await host.PublishListingsAsync(Swap.All);
        var running = host.RunRoundAsync();
        await strategy.Started;
        await host.Publish(new ListingWithdrawn("b-wood", Swap.B, 2));
        await Eventually.True(async () => (await host.BookAsync()).All(b => b.Id != "b-wood"), what: "b-wood withdrawn");
        strategy.Release();
        return await running;
    }
}
