using TradeNet.Matching.Benchmarks;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class KidneyInstanceTests
{
    private static Book Load(string name) =>
        KidneyInstance.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "kidney", name + ".wmd")));

    [Theory]
    [InlineData("00036-00000001", 2, 4)]
    [InlineData("00036-00000001", 4, 4)]
    [InlineData("00036-00000100", 2, 32)]
    [InlineData("00036-00000100", 3, 37)]
    [InlineData("00036-00000100", 4, 39)]
    public void The_engine_reproduces_the_PrefLib_cycle_optimum(string file, int k, int transplants)
    {
        var book = Load(file);
        var result = ClearingEngine.Solve(book, new SolveOptions { MaxCycleLength = k });
        Assert.Equal(transplants, KidneyInstance.Transplants(result));
        Assert.Equal(SolveStatus.Optimal, result.Status);
        Assert.Empty(ResultValidator.Validate(ClearingEngine.Effective(book, new SolveOptions { MaxCycleLength = k }), result));
    }

    [Fact]
    public void Altruists_and_their_dummy_edges_are_left_out()
    {
        var book = Load("00036-00000100");
        Assert.Equal(64, book.Towns.Count);
        Assert.Equal(128, book.Listings.Count);
    }

    [Fact]
    public void Asked_for_altruists_become_donor_towns_with_one_offer_and_the_dummy_edges_stay_out()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "kidney", "00036-00000100.wmd"));
        var book = KidneyInstance.Parse(text, altruists: true);
        var donors = book.Towns.Where(t => t.Donor).Select(t => t.Id).ToHashSet();
        Assert.Equal(6, donors.Count);
        Assert.Equal(128 + 6, book.Listings.Count);
        Assert.All(book.Listings.Where(l => donors.Contains(l.Town)), l => Assert.Equal(ListingKind.Offer, l.Kind));
        // No pair's donor is compatible with an altruist: those were the weight-0 edges.
        Assert.DoesNotContain(book.Listings.SelectMany(l => l.Attributes ?? []), a => donors.Contains("A" + a["to:".Length..]));
    }
}
