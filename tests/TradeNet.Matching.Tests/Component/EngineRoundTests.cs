using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Api;

namespace TradeNet.Matching.Tests.Component;

/// <summary>Rounds cleared by the multi-town engine, as the service runs them by default.</summary>
public class EngineRoundTests
{
    private const string A = "town-a", B = "town-b", C = "town-c";

    /// <summary>A gives cheese to B, B firewood to C, C honey to A: no pair of towns can swap.</summary>
    private static ListingSnapshot[] Ring =>
    [
        Listing("a-cheese", A, "offer", "cheese", 20, 12),
        Listing("b-cheese", B, "need", "cheese", 10, 12),
        Listing("b-wood", B, "offer", "firewood", 300, 0.8),
        Listing("c-wood", C, "need", "firewood", 300, 0.8),
        Listing("c-honey", C, "offer", "honey", 20, 12),
        Listing("a-honey", A, "need", "honey", 20, 12),
    ];

    [Fact]
    public async Task A_three_town_cycle_becomes_one_proposal_with_a_leg_per_giving_town()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Ring);

        var round = await host.RunRoundAsync();

        var proposed = await host.Published<TradeProposed>(p => p.RoundId == round.Id);
        Assert.Equal(3, proposed.Legs.Length);
        Assert.Equal([A, B, C], proposed.Legs.Select(l => l.FromTown).Order());
        Assert.All(proposed.Legs, l => Assert.Equal(120, l.Value, 6)); // B needs only 10 kg of cheese: 120 credits
        Assert.Equal(360, round.Objective, 6);
    }

    [Fact]
    public async Task A_vanishing_min_lot_stored_before_catalog_refused_it_counts_as_none()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Ring.Select(l => l.Id == "b-wood" ? l with { MinLot = 5e-324 } : l).ToArray());

        var round = await host.RunRoundAsync();

        Assert.Equal(360, round.Objective, 6);
    }

    [Fact]
    public async Task A_round_records_its_bound_gap_and_cycle_lengths()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Ring);
        var started = await host.RunRoundAsync();

        var round = (await host.Operator().GetFromJsonAsync<RoundView>($"/api/matching/rounds/{started.Id}", MatchingHost.Json))!;

        Assert.Equal("engine", round.Strategy);
        Assert.NotNull(round.Quality);
        Assert.Equal("optimal", round.Quality.SolverStatus);
        Assert.Equal(360, round.Quality.Bound, 6);
        Assert.Equal(0, round.Quality.Gap, 6);
        Assert.Equal(1, round.Quality.CycleLengths["3"]);
        Assert.True(round.Quality.Edges >= 3);
        Assert.Null(round.Quality.Note);
    }

    [Fact]
    public async Task With_transport_cost_enabled_and_logistics_down_the_round_still_runs_and_says_so()
    {
        await using var host = new MatchingHost(new()
        {
            ["Matching:TransportCost"] = "true",
            ["Services:Logistics:Grpc"] = "http://127.0.0.1:1", // nothing listens there
        }) { Logistics = null };
        await host.PublishListingsAsync(Ring);

        var round = await host.RunRoundAsync();

        Assert.Equal(1, round.Trades);
        Assert.Contains("distance limits alone", round.Quality!.Note);
    }

    [Fact]
    public async Task Transport_cost_from_logistics_is_asked_in_one_batch_and_subtracted_from_the_objective()
    {
        // 1000 kg trips at 100 credits: each kg moved costs 0.1 credit.
        await using var host = new MatchingHost(new() { ["Matching:TransportCost"] = "true" }) { Logistics = new FakeLogistics(100) };
        await host.PublishListingsAsync(Ring);

        var round = await host.RunRoundAsync();

        var request = Assert.Single(host.Logistics!.Requests);
        Assert.Equal(3, request.Pairs.Count); // one per (offer town, need town) that share a category
        Assert.Equal(1, round.Trades);
        var kilograms = 10 + 150 + 10; // cheese, firewood, honey legs at 120 credits each
        Assert.Equal(kilograms * 0.1, round.Quality!.TransportCost, 6);
        Assert.Equal(360 - kilograms * 0.1, round.Objective, 6);
    }

    [Fact]
    public async Task The_bilateral_strategy_can_still_be_chosen_and_finds_no_cycle()
    {
        await using var host = new MatchingHost(new() { ["Matching:Strategy"] = "bilateral" });
        await host.PublishListingsAsync(Ring);

        var round = await host.RunRoundAsync();

        Assert.Equal(0, round.Trades);
    }

    [Fact]
    public async Task Goods_counted_in_pieces_are_proposed_whole_and_proven_the_best_whole_plan()
    {
        // 20 panels (180 each) against 20 bicycles (150 each): balanced continuously, 3,000 credits would be 16⅔ panels;
        // whole on both sides means multiples of 900, so 2,700: 15 panels for 18 bicycles. The engine plans whole pieces,
        // so its bound is that of whole plans and the round is optimal.
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(
            Listing("a-panels", A, "offer", "solar-panels", 20, 180, "piece"), Listing("b-panels", B, "need", "solar-panels", 20, 180, "piece"),
            Listing("b-bikes", B, "offer", "bicycles", 20, 150, "piece"), Listing("a-bikes", A, "need", "bicycles", 20, 150, "piece"));

        var started = await host.RunRoundAsync();

        var proposed = await host.Published<TradeProposed>(p => p.RoundId == started.Id);
        Assert.Equal([15.0, 18.0], proposed.Legs.OrderBy(l => l.Category).Select(l => l.Quantity).Reverse());
        Assert.All(proposed.Legs, l => Assert.Equal(2700, l.Value, 6));
        var round = (await host.Operator().GetFromJsonAsync<RoundView>($"/api/matching/rounds/{started.Id}", MatchingHost.Json))!;
        Assert.Equal(5400, round.Objective, 6);
        Assert.Equal(5400, round.Quality!.Bound, 6);
        Assert.Equal(0, round.Quality.Gap, 6);
        Assert.Equal("optimal", round.Quality.SolverStatus);
    }

    [Fact]
    public async Task Two_towns_are_not_proposed_to_swap_walnuts_for_walnuts()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(
            Listing("a-nuts", A, "offer", "walnuts", 200, 7), Listing("a-wants", A, "need", "walnuts", 100, 7),
            Listing("b-nuts", B, "offer", "walnuts", 200, 7), Listing("b-wants", B, "need", "walnuts", 100, 7));

        var round = await host.RunRoundAsync();

        Assert.Equal(0, round.Trades);
        Assert.Equal(0, round.Objective, 9);
        var recorded = (await host.Operator().GetFromJsonAsync<RoundView>($"/api/matching/rounds/{round.Id}", MatchingHost.Json))!;
        Assert.Contains("1 trade(s) dropped in which a town would serve its own need", recorded.Quality!.Note);
    }

    private static ListingSnapshot Listing(string id, string town, string kind, string category, double quantity, double valuePerUnit,
        string unit = "kg")
    {
        var (lat, lon) = town switch { A => (46.0367, 4.0683), B => (46.0430, 4.0400), _ => (46.0200, 4.0900) };
        return new ListingSnapshot(id, town, kind, category, unit, valuePerUnit, 1, quantity, quantity, 0, [], [], null, null, null, lat, lon, 1);
    }
}
