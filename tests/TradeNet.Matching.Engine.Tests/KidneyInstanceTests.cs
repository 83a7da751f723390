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
}
