using TradeNet.Catalog.Benchmarks;

namespace TradeNet.Catalog.Tests;

/// <summary>The listing search benchmark's command line: refused in one line (exit 2), never a stack trace nor a misspelt
/// flag silently timing the other schema.</summary>
public sealed class CatalogBenchmarkOptionsTests
{
    [Fact]
    public void No_arguments_time_200000_listings_with_the_lists_indexes()
    {
        Assert.Equal(new CatalogBenchmarkOptions(200_000, false), CatalogBenchmarkOptions.Parse([]));
    }

    [Fact]
    public void A_count_and_before_are_taken_in_either_order()
    {
        Assert.Equal(new CatalogBenchmarkOptions(5_000, true), CatalogBenchmarkOptions.Parse(["--before", "5000"]));
        Assert.Equal(new CatalogBenchmarkOptions(5_000, true), CatalogBenchmarkOptions.Parse(["5000", "--before"]));
    }

    [Fact]
    public void Help_asks_for_the_usage()
    {
        Assert.Null(CatalogBenchmarkOptions.Parse(["--help"]));
        Assert.Contains("[LISTINGS] [--before]", CatalogBenchmarkOptions.Usage);
    }

    [Fact]
    public void A_misspelt_before_is_refused_by_name_rather_than_timing_the_indexed_schema()
    {
        var error = Assert.Throws<ArgumentException>(() => CatalogBenchmarkOptions.Parse(["--befor"]));
        Assert.Equal("unknown option --befor", error.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("99999999999")]
    public void A_count_that_is_not_one_above_zero_is_named(string count)
    {
        var error = Assert.Throws<ArgumentException>(() => CatalogBenchmarkOptions.Parse([count]));
        Assert.Equal($"'{count}' is not a listing count above 0", error.Message);
    }

    [Fact]
    public void A_second_count_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => CatalogBenchmarkOptions.Parse(["10", "20"]));
        Assert.Equal("one listing count only, not '20' as well", error.Message);
    }
}
