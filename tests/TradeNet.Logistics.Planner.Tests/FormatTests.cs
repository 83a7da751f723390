using TradeNet.Logistics.Benchmarks.Formats;
using TradeNet.Logistics.Planner.Core;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

public class FormatTests
{
    private static BenchmarkFile Load(string name) => BenchmarkFile.Parse(File.ReadAllText(DataFile(name)), name);

    /// <summary>The optimum by a budget of iterations (500 already reach it; a fraction of a second here), not by what
    /// 3 s of a busy machine's clock allowed; the time limit is only a backstop that no run should reach.</summary>
    private static SolverOptions ByIterations(SearchStrategy strategy = SearchStrategy.Hybrid) =>
        new(TimeSpan.FromSeconds(60), strategy, Iterations: 1000);

    [Fact]
    public void A_cvrplib_instance_reads_capacity_demands_and_best_value()
    {
        var inst = Load("P-n16-k8.vrp").Cvrp!;
        Assert.Equal((15, 35, 8, 450L), (inst.Customers, inst.Capacity, inst.MinVehicles!.Value, inst.BestKnown!.Value));
        Assert.Equal(0, inst.Demand[0]);
    }

    [Fact]
    public void The_published_cvrp_optimum_costs_what_its_file_says()
    {
        var inst = Load("P-n16-k8.vrp").Cvrp!;
        var sol = Cvrplib.ReadSolution(File.ReadAllText(DataFile("P-n16-k8.sol")));
        Assert.Equal(450, Cvrplib.Cost(inst, sol.Routes));
        Assert.Equal(450, sol.Cost);
    }

    [Fact]
    public void A_cvrplib_solution_round_trips()
    {
        int[][] routes = [[1, 2, 3], [4], [5, 6]];
        var back = Cvrplib.ReadSolution(Cvrplib.WriteSolution(routes, 123));
        Assert.Equal(routes, back.Routes);
        Assert.Equal(123, back.Cost);
    }

    [Fact]
    public void A_li_lim_solution_round_trips_and_the_published_best_passes_the_checker()
    {
        var inst = Load("lc101.txt").TimeWindows!;
        var bks = LiLim.ReadSolution(File.ReadAllText(DataFile("lc101.bks.txt")));
        Assert.Empty(inst.Check(bks));
        Assert.Equal(10, bks.Count);
        Assert.Equal(828.94, inst.Length(bks), 2);
        Assert.Equal(bks, LiLim.ReadSolution(LiLim.WriteSolution("lc101", bks)));
    }

    [Fact]
    public void The_li_lim_checker_catches_a_delivery_before_its_pickup()
    {
        var inst = Load("lc101.txt").TimeWindows!;
        var routes = LiLim.ReadSolution(File.ReadAllText(DataFile("lc101.bks.txt"))).Select(r => r.ToArray()).ToList();
        routes[0] = routes[0].Reverse().ToArray();
        Assert.NotEmpty(inst.Check(routes));
    }

    [Fact]
    public void A_malformed_instance_is_reported_with_its_line()
    {
        var ex = Assert.Throws<BenchmarkFormatException>(() => BenchmarkFile.Parse("25 200 1\n0 40 50 0 0 1236 0 0\n", "bad.txt"));
        Assert.Contains("line 2", ex.Message);
        Assert.Throws<BenchmarkFormatException>(() => BenchmarkFile.Parse("hello\n", "x.txt"));
    }

    [Fact]
    public void A_small_cvrp_instance_reaches_its_known_optimum()
    {
        var file = Load("P-n16-k8.vrp");
        var result = file.Solve(ByIterations());
        Assert.Empty(result.Violations);
        Assert.Equal(450, result.Cost);
        var reread = Cvrplib.ReadSolution(file.Write(result));
        Assert.Equal(450, Cvrplib.Cost(file.Cvrp!, reread.Routes));
    }

    [Fact]
    public void The_own_search_alone_also_finds_the_small_optimum()
    {
        var result = Load("P-n16-k8.vrp").Solve(ByIterations(SearchStrategy.RuinRecreate));
        Assert.Equal(450, result.Cost);
    }

    [Fact]
    public void A_pickup_and_delivery_instance_is_solved_feasibly_with_few_vehicles()
    {
        var file = Load("lc101.txt");
        var result = file.Solve(new SolverOptions(TimeSpan.FromSeconds(4)));
        Assert.Empty(result.Violations);
        Assert.InRange(result.Vehicles, 10, 12);
        Assert.Contains("Route 1 : ", file.Write(result));
    }
}
