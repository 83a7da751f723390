using TradeNet.Logistics.Benchmarks.Formats;
using static TradeNet.Logistics.Planner.Tests.Instances;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>Each bad field is refused at parsing with its file and line (or node), before any solver sees it.</summary>
public class InstanceValidationTests
{
    private static string Refusal(string text, string file)
    {
        var ex = Assert.Throws<BenchmarkFormatException>(() => BenchmarkFile.Parse(text, file));
        Assert.StartsWith(file, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        return ex.Message;
    }

    [Fact]
    public void The_small_valid_instances_of_each_family_parse()
    {
        Assert.Equal(BenchmarkFamily.Cvrplib, BenchmarkFile.Parse(CvrpText, "t.vrp").Family);
        Assert.Equal(BenchmarkFamily.Solomon, BenchmarkFile.Parse(SolomonText, "t.txt").Family);
        Assert.Equal(BenchmarkFamily.LiLim, BenchmarkFile.Parse(LiLimText, "t.txt").Family);
    }

    [Theory]
    [InlineData("1\n-1", "99\n-1", "line 15: node 99 does not exist")]
    [InlineData("1\n-1", "0\n-1", "line 15: node 0 does not exist")]
    [InlineData("2 3 4", "2 1e308 4", "line 8: coordinate 1e308 is outside")]
    [InlineData("2 3 4", "2 NaN 4", "line 8: 'NaN' is not a finite number")]
    [InlineData("2 3 4", "2 3 Infinity", "line 8: 'Infinity' is not a finite number")]
    [InlineData("2 3 4", "2 3 4 5", "line 8: unexpected line")]
    [InlineData("3 6 8", "2 6 8", "line 9: node 2 has coordinates twice")]
    [InlineData("2 5\n", "2 -30\n", "line 12: demand of node 2 -30 is negative")]
    [InlineData("1 0\n", "1 7\n", "line 11: the depot (node 1) must have demand 0")]
    [InlineData("3 5\n", "4 5\n", "line 13: node 4 does not exist")]
    [InlineData("3 5\n", "2 5\n", "line 13: node 2 has a demand twice")]
    [InlineData("CAPACITY : 10", "CAPACITY : 0", "line 5: CAPACITY must be positive")]
    [InlineData("CAPACITY : 10", "CAPACITY : -5", "line 5: CAPACITY must be positive")]
    [InlineData("DIMENSION : 3", "DIMENSION : 1", "line 3: DIMENSION must be from 2")]
    [InlineData("TYPE : CVRP", "TYPE : TSP", "line 2: only TYPE CVRP")]
    [InlineData("1\n-1", "1\n2\n-1", "exactly one depot")]
    public void A_cvrplib_instance_with_a_bad_field_is_refused_naming_the_line(string from, string to, string expected)
    {
        Assert.Contains(expected, Refusal(With(CvrpText, from, to), "bad.vrp"));
    }

    [Fact]
    public void A_cvrplib_instance_missing_a_nodes_demand_is_refused_naming_the_node()
    {
        Assert.Contains("node 3 has no demand", Refusal(With(CvrpText, "3 5\n", ""), "bad.vrp"));
    }

    [Fact]
    public void A_vehicle_count_in_the_name_too_large_for_an_int_is_only_no_hint()
    {
        var inst = BenchmarkFile.Parse(With(CvrpText, "t-n3-k1", "t-n3-k99999999999"), "t.vrp").Cvrp!;
        Assert.Null(inst.MinVehicles);
    }

    [Theory]
    [InlineData("10        912        967", "10        500        100", "line 11: customer 1 is ready at 500, after its due date 100")]
    [InlineData("10        912", "-10        912", "line 11: demand -10 is negative")]
    [InlineData("967         90", "967         -5", "line 11: service time -5 is negative")]
    [InlineData("45         68", "NaN         68", "line 11: 'NaN' is not a finite number")]
    [InlineData("45         68", "1e308         68", "line 11: coordinate 1e308 is outside")]
    [InlineData("  2         200", "  0         200", "line 5: the number of vehicles must be positive")]
    [InlineData("  2         200", "  2         0", "line 5: the capacity must be positive")]
    [InlineData("40         50          0", "40         50          5", "line 10: the depot (customer 0) must have demand 0")]
    [InlineData("    2      45", "    1      45", "line 12: customer 1 out of order")]
    public void A_solomon_instance_with_a_bad_field_is_refused_naming_the_line(string from, string to, string expected)
    {
        Assert.Contains(expected, Refusal(With(SolomonText, from, to), "C1.txt"));
    }

    [Theory]
    [InlineData("2\t200\t1", "0\t200\t1", "line 1: the number of vehicles must be positive")]
    [InlineData("2\t200\t1", "2\t0\t1", "line 1: the capacity must be positive")]
    [InlineData("2\t200\t1", "2\t200\t2", "line 1: only speed 1")]
    [InlineData("10\t0\t967", "10\t968\t967", "line 3: task 1 is ready at 968, after its due date 967")]
    [InlineData("0\t0\t1236\t0\t0\t0", "-500\t0\t1236\t0\t0\t0", "line 2: the depot (task 0) must have demand 0")]
    [InlineData("0\t0\t1236\t0\t0\t0", "0\t0\t1236\t0\t500\t0", "line 2: the depot (task 0) must have demand 0 and no pickup or delivery partner")]
    [InlineData("10\t0\t967", "-10\t0\t967", "line 3: pickup 1 must have a positive demand")]
    [InlineData("-10\t0\t1100", "-9\t0\t1100", "line 4: delivery 2 must unload what pickup 1 loads (-10), not -9")]
    [InlineData("1100\t10\t1\t0", "1100\t10\t1\t1", "line 4: task 2 names both a pickup and a delivery")]
    [InlineData("967\t10\t0\t2", "967\t10\t0\t7", "line 3: task 1 has no valid partner (7)")]
    [InlineData("967\t10\t0\t2", "967\t-10\t0\t2", "line 3: service time -10 is negative")]
    [InlineData("45\t68", "Infinity\t68", "line 3: 'Infinity' is not a finite number")]
    public void A_li_lim_instance_with_a_bad_field_is_refused_naming_the_line(string from, string to, string expected)
    {
        Assert.Contains(expected, Refusal(With(LiLimText, from, to), "lc1.txt"));
    }

    [Fact]
    public void An_unbalanced_li_lim_pair_is_refused_rather_than_solved()
    {
        string text = With(With(LiLimText, "10\t0\t967", "150\t0\t967"), "-10\t0\t1100", "-10\t0\t1100");
        Assert.Contains("delivery 2 must unload what pickup 1 loads (-150)", Refusal(text, "lc1.txt"));
    }
}
