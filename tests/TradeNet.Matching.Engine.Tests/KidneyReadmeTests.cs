using TradeNet.Matching.Benchmarks;

namespace TradeNet.Matching.Engine.Tests;

/// <summary>The README shipped beside the kidney files is what the benchmark checks its results against when pointed
/// at them; read wrongly, every case is skipped and the benchmark prints an empty table.</summary>
public class KidneyReadmeTests
{
    [Fact]
    public void The_shipped_kidney_readme_lists_every_optimum_the_benchmark_checks()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "kidney", "README.md"));
        var optima = KidneyInstance.ParseReadmeOptima(readme);
        Assert.Equal(4, optima[("00036-00000001", 2, 0)]);
        Assert.Equal(4, optima[("00036-00000001", 4, 0)]);
        Assert.Equal(32, optima[("00036-00000100", 2, 0)]);
        Assert.Equal(37, optima[("00036-00000100", 3, 0)]);
        Assert.Equal(39, optima[("00036-00000100", 4, 0)]);
        Assert.Equal(46, optima[("00036-00000100", 3, 3)]);
        Assert.False(optima.ContainsKey(("00036-00000001", 3, 3)));
    }
}
