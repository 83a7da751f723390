using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeNet.Contracts.Grpc;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Tests.Component;

namespace TradeNet.Matching.Tests.Clearing;

/// <summary>How many town pairs a round asks logistics to price per call, and what that costs on the wire.</summary>
public class TransportBatchTests
{
    /// <summary>What logistics takes in one <c>EstimateTransport</c> call (docs/logistics.md; <c>LogisticsGrpcService.MaxPairs</c>):
    /// more is refused with InvalidArgument, "split the batch".</summary>
    private const int LogisticsMaxPairs = 100_000;

    /// <summary>A gRPC client's default largest message (4 MB), which matching's logistics client keeps.</summary>
    private const int ClientMaxReceiveBytes = 4 * 1024 * 1024;

    [Fact]
    public async Task A_book_with_more_town_pairs_than_logistics_takes_in_one_call_is_priced_in_batches_under_one_deadline()
    {
        // 224 towns giving cheese to, and taking firewood from, 224 others: 2 × 224² = 100,352 (offer town, need town)
        // pairs, just past what logistics takes in a call. Asked in one call, logistics refused every round of such a
        // network, which then ran without transport cost.
        const int side = 224;
        var entries = new List<BookEntry>();
        for (var i = 0; i < side; i++)
        {
            entries.Add(Entry($"c{i}", $"cheese-town-{i}", ListingKind.Offer, "cheese", i));
            entries.Add(Entry($"w{i}", $"cheese-town-{i}", ListingKind.Need, "firewood", i));
            entries.Add(Entry($"d{i}", $"wood-town-{i}", ListingKind.Offer, "firewood", i));
            entries.Add(Entry($"e{i}", $"wood-town-{i}", ListingKind.Need, "cheese", i));
        }
        var logistics = new FakeLogistics
        {
            OnEstimate = request => request.Pairs.Count > LogisticsMaxPairs
                ? throw new RpcException(new Status(StatusCode.InvalidArgument, $"pairs: at most {LogisticsMaxPairs} pairs per call; split the batch"))
                : FakeLogistics.Flat(request, 100),
        };
        var costs = new TransportCosts(logistics, Options.Create(new MatchingOptions { TransportCost = true }), NullLogger<TransportCosts>.Instance);

        var quote = await costs.QuoteAsync(entries, CancellationToken.None);

        Assert.Null(quote.Note);
        Assert.Equal(2 * side * side, logistics.Requests.Sum(r => r.Pairs.Count));
        Assert.All(logistics.Requests, r => Assert.InRange(r.Pairs.Count, 1, TransportCosts.PairsPerCall));
        Assert.Single(logistics.Deadlines.Distinct()); // one deadline for the whole quote, not 10 s per call
        Assert.Equal(0.1, quote.CostPerUnit!("cheese-town-7", "wood-town-200", "cheese"), 9); // 100 a 1,000 kg trip, 1 kg a unit
        Assert.Equal(0.1, quote.CostPerUnit!("wood-town-223", "cheese-town-0", "firewood"), 9);
    }

    [Fact]
    public void A_full_batchs_answer_fits_in_what_the_logistics_client_takes_even_with_long_town_ids()
    {
        // Catalog's town ids are 17 characters ("town-" and 12 hex digits); 64 leaves room for ids given otherwise. At
        // logistics' own limit the answer is 100,000 × 67 bytes = 6.7 MB with catalog's ids, which the client refused.
        var id = new string('t', 64);
        var reply = new EstimateTransportReply();
        for (var i = 0; i < TransportCosts.PairsPerCall; i++)
            reply.Estimates.Add(new TransportEstimate { FromTownId = id, ToTownId = id, Cost = 1e9 / 7, DistanceKm = 1e5 / 7, Seconds = 1e7 / 7 });
        var request = new EstimateTransportRequest();
        for (var i = 0; i < TransportCosts.PairsPerCall; i++)
            request.Pairs.Add(new TransportPair
            {
                From = new TownPoint { TownId = id, Lat = -89.123456789, Lon = -179.123456789 },
                To = new TownPoint { TownId = id, Lat = 89.123456789, Lon = 179.123456789 }, WeightKg = 1000,
            });

        Assert.True(reply.CalculateSize() < ClientMaxReceiveBytes / 2, $"{reply.CalculateSize()} bytes");
        Assert.True(request.CalculateSize() < ClientMaxReceiveBytes / 2, $"{request.CalculateSize()} bytes");
        Assert.True(TransportCosts.PairsPerCall <= LogisticsMaxPairs);
    }

    private static BookEntry Entry(string id, string town, ListingKind kind, string category, int i) =>
        new(id, town, kind, category, 10, 1, 100, 0, [], [], null, null, null, 45 + i * 0.001, 4 + i * 0.001, 1);
}
