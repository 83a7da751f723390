using TradeNet.Logistics.Benchmarks;
using TradeNet.Logistics.Planner.Core;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>The route benchmark's command line: --help and typos must not be taken for the instance folder.</summary>
public class BenchmarkOptionsTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_asks_for_the_usage_instead_of_naming_a_folder(string help)
    {
        Assert.Null(BenchmarkOptions.Parse(["../vrp", help]));
        Assert.Contains("--suite all|smoke|cvrp|tw|latency", BenchmarkOptions.Usage);
    }

    [Fact]
    public void A_misspelt_option_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkOptions.Parse(["--suit", "smoke"]));
        Assert.Equal("unknown option --suit", error.Message);
    }

    [Theory]
    [InlineData("--suite", "fast", "unknown suite 'fast'")]
    [InlineData("--time-limit", "ten", "--time-limit 'ten'")]
    [InlineData("--time-limit", "0", "--time-limit '0'")]
    [InlineData("--strategy", "greedy", "unknown strategy 'greedy'")]
    public void A_value_it_cannot_take_is_named(string option, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkOptions.Parse([option, value]));
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void An_option_without_its_value_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkOptions.Parse(["--suite"]));
        Assert.Equal("--suite needs a value", error.Message);
    }

    [Fact]
    public void The_documented_command_reads_the_folder_and_every_flag()
    {
        var options = BenchmarkOptions.Parse(["/data/vrp", "--suite", "tw", "--time-limit", "2.5", "--strategy", "lns", "--only", "lc101,C101"])!;
        Assert.Equal("/data/vrp", options.Root);
        Assert.Equal("tw", options.Suite);
        Assert.Equal(2.5, options.TimeLimit);
        Assert.Equal(SearchStrategy.RuinRecreate, options.Strategy);
        Assert.True(options.Only!.SetEquals(["lc101", "c101"]));
        Assert.Equal("../shared/benchmarks/vrp", BenchmarkOptions.Parse([])!.Root);
    }

    [Fact]
    public void A_folder_without_the_instances_is_reported_before_any_suite_runs()
    {
        var empty = Directory.CreateTempSubdirectory("tradenet-vrp-");
        try
        {
            Assert.Equal(["cvrp", "pdptw", "vrptw"], BenchmarkOptions.Parse([empty.FullName])!.MissingFolders());
            Assert.Equal(["cvrp"], BenchmarkOptions.Parse([empty.FullName, "--suite", "smoke"])!.MissingFolders());
            Assert.Empty(BenchmarkOptions.Parse([empty.FullName, "--suite", "latency"])!.MissingFolders());
            Directory.CreateDirectory(Path.Combine(empty.FullName, "cvrp"));
            Assert.Empty(BenchmarkOptions.Parse([empty.FullName, "--suite", "cvrp"])!.MissingFolders());
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
