using System.Diagnostics;
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
    /// <summary>The benchmark itself, as a user starts it: its exit code and what it wrote.</summary>
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "TradeNet.Logistics.Benchmarks.dll");
        var info = new ProcessStartInfo("dotnet", [dll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var (stdout, stderr) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await stdout, await stderr);
    }

    [Theory]
    [InlineData("smoke", "P-n16-k8.sol", "cvrp/A-n32-k5.vrp")]
    [InlineData("cvrp", "P-n16-k8.vrp", "cvrp/P-n16-k8.sol")]
    public async Task One_missing_instance_file_of_a_folder_is_one_line_naming_it_and_exit_code_2(string suite, string shipped, string named)
    {
        var root = Directory.CreateTempSubdirectory("tradenet-vrp-");
        try
        {
            // The folder is there with one instance file (or its solution) of the suite's: a stack trace before.
            Directory.CreateDirectory(Path.Combine(root.FullName, "cvrp"));
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Data", shipped), Path.Combine(root.FullName, "cvrp", shipped));

            var (code, _, stderr) = await RunAsync(root.FullName, "--suite", suite, "--time-limit", "0.5");

            Assert.Equal(2, code);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: ", line);
            Assert.Contains(named, line);
            Assert.DoesNotContain("Exception", line);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("P-n16-k8.vrp", "P-n16-k8.vrp: DIMENSION is required")]
    [InlineData("P-n16-k8.sol", "P-n16-k8.sol: solution line 1")]
    public async Task An_instance_or_solution_file_that_does_not_parse_is_one_line_naming_it_and_exit_code_2(string broken, string named)
    {
        var root = Directory.CreateTempSubdirectory("tradenet-vrp-");
        try
        {
            var cvrp = Directory.CreateDirectory(Path.Combine(root.FullName, "cvrp")).FullName;
            foreach (var file in new[] { "P-n16-k8.vrp", "P-n16-k8.sol" })
                File.Copy(Path.Combine(AppContext.BaseDirectory, "Data", file), Path.Combine(cvrp, file));
            File.WriteAllText(Path.Combine(cvrp, broken), "Route #1: x\n");

            var (code, _, stderr) = await RunAsync(root.FullName, "--suite", "cvrp", "--time-limit", "0.5");

            Assert.Equal(2, code);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: ", line);
            Assert.Contains(named, line);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_files_a_suite_reads_are_named_when_missing_and_none_when_all_are_there()
    {
        var root = Directory.CreateTempSubdirectory("tradenet-vrp-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "cvrp"));
            File.WriteAllText(Path.Combine(root.FullName, "cvrp", "X-n5.vrp"), "");
            Assert.Equal(["cvrp/X-n5.sol"], BenchmarkOptions.Parse([root.FullName, "--suite", "cvrp"])!.MissingFiles());
            Assert.Equal(10, BenchmarkOptions.Parse([root.FullName, "--suite", "tw"])!.MissingFiles().Count); // 4 Li & Lim and C101, with solutions
            File.WriteAllText(Path.Combine(root.FullName, "cvrp", "X-n5.sol"), "");
            Assert.Empty(BenchmarkOptions.Parse([root.FullName, "--suite", "cvrp"])!.MissingFiles());
            Assert.Empty(BenchmarkOptions.Parse([root.FullName, "--suite", "latency"])!.MissingFiles());
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
