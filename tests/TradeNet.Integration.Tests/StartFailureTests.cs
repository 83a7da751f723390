using System.Diagnostics;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests;

/// <summary>A setting refused at start, or a port another process holds: the operator reads the reason on one line of standard error and the process exits
/// with 2, not an unhandled exception's stack dump and an abort (134).</summary>
public sealed class StartFailureTests
{
    [Theory]
    [InlineData("deploy/TradeNet.Standalone", "TradeNet.Standalone", "Storage__Backups__Every", "00:00:10", "Storage:Backups:Every must be at least 1 minute")]
    [InlineData("services/Matching/TradeNet.Matching", "TradeNet.Matching", "Matching__RoundRetention", "01:00:00", "Matching:RoundRetention")]
    public Task A_host_with_a_refused_setting_says_why_on_one_line_and_exits_with_2(string project, string assembly, string setting,
        string value, string reason) =>
        EndsWithOneLineAsync(project, assembly, new Dictionary<string, string> { [setting] = value }, reason, held: null);

    /// <summary>Another process on the host's port: Kestrel's bind failure was a stack dump and an abort (134).</summary>
    [Fact]
    public async Task A_host_whose_port_another_process_holds_says_which_address_on_one_line_and_exits_with_2()
    {
        using var held = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        held.Start();
        var port = ((System.Net.IPEndPoint)held.LocalEndpoint).Port;

        await EndsWithOneLineAsync("deploy/TradeNet.Standalone", "TradeNet.Standalone", new Dictionary<string, string>(),
            "address already in use", held: port);
    }

    private static async Task EndsWithOneLineAsync(string project, string assembly, IReadOnlyDictionary<string, string> extra,
        string reason, int? held)
    {
        using var settings = new TestSettings();
        var info = new ProcessStartInfo("dotnet", $"\"{Repo.Assembly(project, assembly)}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        int edge = held ?? Repo.FreePort(), rest = Repo.FreePort(), grpc = Repo.FreePort();
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["Storage__DataDir"] = settings.DataDir;
        info.Environment["Standalone__EdgeUrl"] = $"http://127.0.0.1:{edge}";
        info.Environment["Standalone__ServicesUrl"] = $"http://127.0.0.1:{rest}";
        info.Environment["Standalone__GrpcUrl"] = $"http://127.0.0.1:{grpc}";
        info.Environment["Standalone__Seed"] = "false";
        info.Environment["Endpoints__Rest"] = $"http://127.0.0.1:{rest}";
        info.Environment["Auth__InternalTokenKey"] = TestSettings.TokenKey;
        foreach (var (name, value) in extra) info.Environment[name] = value;

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The host ({reason}) did not stop:\n{await stdout}\n{await stderr}");
        }

        var error = await stderr;
        Assert.True(process.ExitCode == 2, $"exit code {process.ExitCode}:\n{await stdout}\n{error}");
        Assert.StartsWith("TradeNet cannot start: ", error);
        Assert.True(error.Contains(reason, StringComparison.Ordinal), $"\"{reason}\" not in: {error}");
        // The log keeps the host's own "Hosting failed to start" with its stack for a developer; standard error, what a
        // supervisor shows, is the reason alone.
        Assert.Single(error.Trim().Split('\n'));
    }
}
