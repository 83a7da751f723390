using System.Diagnostics;
using TradeNet.Load.Benchmarks;

namespace TradeNet.Matching.Engine.Tests;

/// <summary>The load benchmark's command line: refused in one line with exit code 2 as the other tools refuse theirs,
/// and apart from exit code 3, a run that met unexpected answers.</summary>
public class LoadArgsTests
{
    private static readonly string[] Required = ["--gateway", "http://127.0.0.1:7599", "--operator-key", "op_key"];

    /// <summary>The benchmark itself, as a user starts it: its exit code and what it wrote.</summary>
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "TradeNet.Load.Benchmarks.dll");
        var info = new ProcessStartInfo("dotnet", [dll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var (stdout, stderr) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    [Theory]
    [InlineData("--towns", "x", "--towns 'x'")]
    [InlineData("--seconds", "0", "--seconds '0'")]
    [InlineData("--vehicles", "2", "--vehicles '2'")]
    [InlineData("--tonws", "3", "unknown option --tonws")]
    public async Task A_value_or_option_it_cannot_take_is_one_line_naming_it_and_exit_code_2(string option, string value, string named)
    {
        var (code, stdout, stderr) = await RunAsync([.. Required, option, value]);

        Assert.Equal(LoadArgs.BadCommandLine, code);
        Assert.Equal(2, code); // as the other benchmarks and the offline commands refuse a command line
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {named}", line);
        Assert.Equal("", stdout); // nothing ran
    }

    [Fact]
    public async Task Help_prints_the_usage_with_the_exit_codes_and_runs_nothing()
    {
        var (code, stdout, stderr) = await RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("--gateway URL --operator-key KEY", stdout);
        Assert.Contains("3 the run met unexpected answers", stdout);
    }

    [Fact]
    public void Unexpected_answers_keep_an_exit_code_of_their_own()
    {
        Assert.Equal(3, LoadArgs.UnexpectedAnswers);
        Assert.Equal(4, new[] { LoadArgs.Ok, LoadArgs.SetupFailed, LoadArgs.BadCommandLine, LoadArgs.UnexpectedAnswers }.Distinct().Count());
    }

    [Theory]
    [InlineData(new[] { "--operator-key", "k" }, "--gateway URL is required")]
    [InlineData(new[] { "--gateway", "localhost:5650", "--operator-key", "k" }, "--gateway 'localhost:5650' is not an http(s) URL")]
    [InlineData(new[] { "--gateway", "http://127.0.0.1:5650" }, "--operator-key is required")]
    [InlineData(new[] { "--gateway", "http://127.0.0.1:5650", "--operator-key" }, "--operator-key needs a value")]
    [InlineData(new[] { "towns", "3" }, "unexpected argument 'towns'")]
    public void A_missing_or_unusable_required_option_is_named(string[] args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => LoadArgs.Parse(args));
        Assert.StartsWith(expected, error.Message);
    }

    [Theory]
    [InlineData("no-such-folder/keys.txt", "does not exist")]
    [InlineData("", "is a folder")]
    [InlineData("/proc/tradenet-keys.txt", "cannot be written")]
    [InlineData("{file}/keys.txt", "is a file, not a folder")]
    public void A_keys_file_it_could_not_write_is_named_before_the_towns_register(string keysFile, string says)
    {
        // The file is written after the towns registered: a folder that is not there was a stack trace then.
        // {file}: a file standing where the folder should be.
        var file = Path.GetTempFileName();
        var path = Path.Combine(Path.GetTempPath(), keysFile.Replace("{file}", file));
        var error = Assert.Throws<ArgumentException>(() => LoadArgs.Parse([.. Required, "--keys-file", path]));
        File.Delete(file);
        Assert.StartsWith("--keys-file", error.Message);
        Assert.Contains(says, error.Message);
    }

    [Fact]
    public void The_documented_command_reads_every_value()
    {
        var options = LoadArgs.Parse([.. Required, "--towns", "150", "--listings-per-town", "15", "--concurrency", "32", "--seconds", "120",
            "--pid", "42", "--report-every", "60", "--keys-file", "/tmp/keys.txt", "--vehicles", "0.5", "--seed", "-3"]);

        Assert.Equal(new Uri("http://127.0.0.1:7599"), options.Gateway);
        Assert.Equal((150, 15, 32, 120, 42, 60.0, 0.5, -3), (options.Towns, options.ListingsPerTown, options.Concurrency, options.Seconds,
            options.Pid, options.ReportEvery, options.VehicleShare, options.Seed));
        Assert.Equal("/tmp/keys.txt", options.KeysFile);
        Assert.Null(LoadArgs.Parse(Required).Pid);
    }
}
