using System.Diagnostics;
using TradeNet.Logistics.Cli;
using static TradeNet.Logistics.Planner.Tests.Instances;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>The solve-vrp entry in-process: each failure is one 'error:' line and its documented exit code.</summary>
public sealed class SolveVrpCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tradenet-vrp-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Asserts the run failed with <paramref name="code"/> and one error line (no stack trace); returns it.</summary>
    private static string OneErrorLine((int Code, string Out, string Err) run, int code)
    {
        Assert.Equal(code, run.Code);
        var lines = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.DoesNotContain("Exception", lines[0]); // neither a stack trace nor an internal error
        Assert.Equal("", run.Out);
        return lines[0];
    }

    [Fact]
    public void A_solomon_customer_ready_after_its_due_date_is_a_bad_instance_naming_the_line()
    {
        var file = Write("C101.txt", With(SolomonText, "10        912        967", "10        500        100"));
        var line = OneErrorLine(Run("solve-vrp", "--instance", file, "--time-limit", "2.5"), CliApp.BadInstance);
        Assert.Contains("C101.txt line 11: customer 1 is ready at 500", line);
    }

    [Fact]
    public void A_li_lim_task_ready_after_its_due_date_is_a_bad_instance()
    {
        var file = Write("lc1.txt", With(LiLimText, "10\t0\t967", "10\t968\t967"));
        Assert.Contains("line 3", OneErrorLine(Run("solve-vrp", "--instance", file, "--time-limit", "2.5"), CliApp.BadInstance));
    }

    [Fact]
    public void A_depot_section_naming_a_node_that_does_not_exist_is_a_bad_instance()
    {
        var file = Write("bad.vrp", With(CvrpText, "1\n-1", "99\n-1"));
        Assert.Contains("node 99 does not exist", OneErrorLine(Run("solve-vrp", "--instance", file), CliApp.BadInstance));
    }

    [Fact]
    public void A_li_lim_instance_with_no_vehicles_is_a_bad_instance()
    {
        var file = Write("lc1.txt", With(LiLimText, "2\t200\t1", "0\t200\t1"));
        Assert.Contains("number of vehicles", OneErrorLine(Run("solve-vrp", "--instance", file), CliApp.BadInstance));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("ten")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1e-300")]
    [InlineData("86401")]
    public void A_time_limit_that_is_not_a_positive_finite_number_of_seconds_is_a_usage_error(string seconds)
    {
        var file = Write("t.vrp", CvrpText);
        Assert.Contains("--time-limit", OneErrorLine(Run("solve-vrp", "--instance", file, "--time-limit", seconds), CliApp.UsageError));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("missing-folder/out.sol")]
    [InlineData(".")]
    public void An_unusable_output_path_is_refused_before_solving(string output)
    {
        var file = Write("t.vrp", CvrpText);
        var clock = Stopwatch.StartNew();
        var line = OneErrorLine(Run("solve-vrp", "--instance", file, "--time-limit", "30", "--out", output), CliApp.UsageError);
        Assert.Contains("--out", line);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the 30 s solve should not have run");
    }

    [Theory]
    [InlineData("2 3 4", "2 1e308 4")]
    [InlineData("2 3 4", "2 NaN 4")]
    [InlineData("2 5\n", "2 -30\n")]
    public void Non_finite_or_huge_coordinates_and_negative_demands_are_bad_instances_not_a_cost(string from, string to)
    {
        var file = Write("t.vrp", With(CvrpText, from, to));
        Assert.Contains("t.vrp line", OneErrorLine(Run("solve-vrp", "--instance", file), CliApp.BadInstance));
    }

    [Fact]
    public void A_li_lim_depot_with_a_partner_is_a_bad_instance()
    {
        var file = Write("lc1.txt", With(LiLimText, "0\t0\t1236\t0\t0\t0", "-500\t0\t1236\t0\t500\t0"));
        Assert.Contains("depot", OneErrorLine(Run("solve-vrp", "--instance", file), CliApp.BadInstance));
    }

    [Fact]
    public void A_valid_instance_writes_its_solution_file_and_a_summary()
    {
        var file = Write("t.vrp", CvrpText);
        var output = Path.Combine(_dir, "t.sol");
        var (code, stdout, stderr) = Run("solve-vrp", "--instance", file, "--time-limit", "0.5", "--out", output);
        Assert.Equal(CliApp.Ok, code);
        Assert.Equal("", stdout);
        Assert.Contains("cost 20", stderr);
        Assert.Matches(@"^Route #1: (1 2|2 1)\nCost 20\n$", File.ReadAllText(output)); // either direction costs 5 + 5 + 10
    }

    [Fact]
    public void A_customer_heavier_than_a_vehicle_ends_with_no_feasible_solution_after_writing_it()
    {
        var file = Write("t.vrp", With(CvrpText, "3 5\n", "3 50\n"));
        var (code, stdout, stderr) = Run("solve-vrp", "--instance", file, "--time-limit", "0.5");
        Assert.Equal(CliApp.NoFeasibleSolution, code);
        Assert.Contains("Cost", stdout);
        Assert.StartsWith("error: no feasible solution found", stderr);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--time-limt")]
    public void An_unknown_option_at_the_end_is_called_unknown_not_missing_its_value(string option)
    {
        var file = Write("t.vrp", CvrpText);
        var line = OneErrorLine(Run("solve-vrp", "--instance", file, option), CliApp.UsageError);
        Assert.StartsWith($"error: unknown option {option}", line);
    }

    [Fact]
    public void A_folder_given_as_the_instance_is_called_a_folder_not_missing()
    {
        Assert.Contains($"--instance '{_dir}' is a folder", OneErrorLine(Run("solve-vrp", "--instance", _dir), CliApp.UsageError));
    }

    [Fact]
    public void A_missing_instance_file_is_a_usage_error()
    {
        Assert.Contains("not found", OneErrorLine(Run("solve-vrp", "--instance", Path.Combine(_dir, "none.vrp")), CliApp.UsageError));
    }
}
