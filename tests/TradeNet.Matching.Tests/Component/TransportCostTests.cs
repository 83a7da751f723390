using System.Net;
using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Matching.Api;

namespace TradeNet.Matching.Tests.Component;

/// <summary>What a round does with logistics' transport estimates when they cannot be used as costs.</summary>
public class TransportCostTests
{
    private const string A = "town-a", B = "town-b", C = "town-c";

    /// <summary>A gives cheese to B, B firewood to C, C honey to A: one three-town cycle of 120 credits a leg.</summary>
    private static ListingSnapshot[] Ring =>
    [
        Listing("a-cheese", A, "offer", "cheese", 20, 12), Listing("b-cheese", B, "need", "cheese", 10, 12),
        Listing("b-wood", B, "offer", "firewood", 300, 0.8), Listing("c-wood", C, "need", "firewood", 300, 0.8),
        Listing("c-honey", C, "offer", "honey", 20, 12), Listing("a-honey", A, "need", "honey", 20, 12),
    ];

    /// <summary>Answers every pair at 100 credits a trip but one, spoiled by <paramref name="spoil"/>.</summary>
    private static Func<EstimateTransportRequest, EstimateTransportReply> OneSpoiled(Action<EstimateTransportReply> spoil) => request =>
    {
        var reply = FakeLogistics.Flat(request, 100);
        spoil(reply);
        return reply;
    };

    public static TheoryData<string> Garbage => ["NaN", "-5", "Infinity", "twice", "missing"];

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task An_answer_that_prices_no_trip_leaves_transport_out_and_the_round_runs_on_distance_limits_saying_so(string garbage)
    {
        // Logistics' cost of a trip is finite and at least 0, one per pair asked. A NaN, a negative or an infinite cost
        // reached the engine, which refuses it (every round a 500); a pair answered twice failed the round as well; a pair
        // left out was priced at nothing, with no word of it in the round's record.
        var logistics = new FakeLogistics
        {
            OnEstimate = OneSpoiled(reply =>
            {
                switch (garbage)
                {
                    case "twice": reply.Estimates.Add(reply.Estimates[0].Clone()); break;
                    case "missing": reply.Estimates.RemoveAt(0); break;
                    default: reply.Estimates[0].Cost = double.Parse(garbage, System.Globalization.CultureInfo.InvariantCulture); break;
                }
            }),
        };
        await using var host = new MatchingHost(new() { ["Matching:TransportCost"] = "true" }) { Logistics = logistics };
        await host.PublishListingsAsync(Ring);

        var response = await host.Operator().PostAsync("/api/matching/rounds", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var round = (await response.Content.ReadFromJsonAsync<RoundView>(MatchingHost.Json))!;
        Assert.Equal(1, round.Trades);
        Assert.Equal(360, round.Objective, 6); // the cycle's value, no cost taken off
        Assert.Equal(0, round.Quality!.TransportCost);
        Assert.Contains("transport cost not included", round.Quality.Note);
        Assert.Contains("distance limits alone", round.Quality.Note);
    }

    [Fact]
    public async Task A_trip_cost_whose_share_per_unit_passes_any_number_leaves_transport_out_and_the_round_runs_saying_so()
    {
        // 1e307 a trip is finite and at least 0, so it passed the answer's check; a leg's share of it is cost × kg per unit /
        // reference load, and for goods of 250 kg a unit the product passed any number (2.5e309) before the division: the
        // engine refuses an infinite cost, and the round was a 500.
        var logistics = new FakeLogistics { OnEstimate = request => FakeLogistics.Flat(request, 1e307) };
        await using var host = new MatchingHost(new() { ["Matching:TransportCost"] = "true" }) { Logistics = logistics };
        await host.PublishListingsAsync(Ring.Select(l => l with { WeightPerUnit = 250 }).ToArray());

        var response = await host.Operator().PostAsync("/api/matching/rounds", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var round = (await response.Content.ReadFromJsonAsync<RoundView>(MatchingHost.Json))!;
        Assert.Equal(1, round.Trades);
        Assert.Equal(0, round.Quality!.TransportCost);
        Assert.Contains("transport cost not included", round.Quality.Note);
        Assert.Contains("per unit", round.Quality.Note);
    }

    private static ListingSnapshot Listing(string id, string town, string kind, string category, double quantity, double valuePerUnit)
    {
        var (lat, lon) = town switch { A => (46.0367, 4.0683), B => (46.0430, 4.0400), _ => (46.0200, 4.0900) };
        return new ListingSnapshot(id, town, kind, category, "kg", valuePerUnit, 1, quantity, quantity, 0, [], [], null, null, null, lat, lon, 1);
    }
}
