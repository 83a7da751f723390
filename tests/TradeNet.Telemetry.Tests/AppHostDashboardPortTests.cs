using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using TradeNet.AppHost;
using TradeNet.Testing;

namespace TradeNet.Telemetry.Tests;

/// <summary>The README's run command, <c>dotnet run --project deploy/TradeNet.AppHost</c>, with the dashboard's three
/// addresses moved by the environment as Aspire documents: the dashboard answers there and the printed login link takes
/// one in. The launch profile fixed them at 15080, 19080 and 20080, and <c>dotnet run</c> puts a launch profile's values
/// above the shell's, so a second app host could not start beside a first. Embedded topology: nothing to install.</summary>
public sealed partial class AppHostDashboardPortTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("tradenet-apphost-ports-");

    [Fact]
    public async Task Dotnet_run_serves_the_dashboard_and_the_gateway_on_the_ports_the_environment_names()
    {
        await ProcessTestsLock.HoldForThisProcessAsync(ProcessTestsLock.Wait);
        int dashboard = ListenPorts.Next(), otlp = ListenPorts.Next(), resources = ListenPorts.Next(), gateway = ListenPorts.Next();
        var info = AppHostRun.Info();
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{dashboard}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlp}";
        info.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{resources}";
        info.Environment["TradeNet__GatewayPort"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["TradeNet__DataDir"] = Path.Combine(_work.FullName, "data");
        info.Environment["TradeNet__Seed"] = "false";
        await using var run = AppHostRun.Start(info);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var login = await Eventually(() => Task.FromResult(PrintedLogin().Match(run.Output()) is { Success: true } m ? m.Groups[1].Value : null),
            run, "the dashboard's login link");
        Assert.StartsWith($"http://127.0.0.1:{dashboard}/login?t=", login);

        // The token of this run signs one in: a redirect into the dashboard with its cookie (a wrong one shows the form again).
        var signedIn = await Eventually(async () => await Answer(http, login) is { StatusCode: HttpStatusCode.Redirect } r ? r : null,
            run, $"the dashboard's login at {login}");
        Assert.True(signedIn.Headers.Contains("Set-Cookie"), $"no cookie from {login}");
        await Eventually(async () => await Answer(http, $"http://127.0.0.1:{gateway}/health") is { StatusCode: HttpStatusCode.OK } r ? r : null,
            run, "the gateway's /health");
    }

    /// <summary>A TradeNet process that ends while the app host runs is said on its console with the process's reason: it
    /// showed only on the dashboard, under a gateway URL that never answered (seen Dec 2026 with Storage__Provider=mongo and
    /// no MongoDB: the standalone host ended with exit code 2 after 30 s, the app host printed nothing). A setting the
    /// standalone host refuses at once, inherited from the app host's environment, ends it the same way.</summary>
    [Fact]
    public async Task A_tradenet_process_that_ends_at_start_is_said_on_the_app_hosts_console_with_its_reason()
    {
        await ProcessTestsLock.HoldForThisProcessAsync(ProcessTestsLock.Wait);
        var info = AppHostRun.Info();
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL" })
            info.Environment[name] = $"http://127.0.0.1:{ListenPorts.Next()}";
        info.Environment["TradeNet__GatewayPort"] = ListenPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["TradeNet__DataDir"] = Path.Combine(_work.FullName, "data");
        info.Environment["Storage__Backups__Every"] = "banana";
        await using var run = AppHostRun.Start(info);
        var said = await Eventually(() => Task.FromResult(run.Output().Split('\n').FirstOrDefault(l => l.StartsWith("TradeNet: tradenet ended", StringComparison.Ordinal))),
            run, "a line saying the standalone host ended", TimeSpan.FromSeconds(120));
        Assert.Contains("exit code 2", said);
        Assert.Contains("TradeNet cannot start: ", said);
        Assert.Contains("Storage:Backups:Every", said);
    }

    /// <summary>The README's run command as a child process, its output kept for the assertions' messages, stopped as Ctrl+C
    /// would (SIGTERM, then a kill after 45 s) when the test ends.</summary>
    private sealed class AppHostRun : IAsyncDisposable
    {
        private readonly StringBuilder _output = new();

        private AppHostRun(ProcessStartInfo info) => Process = new Process { StartInfo = info };

        public Process Process { get; }

        public static ProcessStartInfo Info() =>
            new("dotnet", ["run", "--no-build", "-c", Configuration, "--project", Path.Combine(RepoRoot(), "deploy", "TradeNet.AppHost")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };

        public static AppHostRun Start(ProcessStartInfo info)
        {
            var run = new AppHostRun(info);
            run.Process.OutputDataReceived += (_, e) => { lock (run._output) run._output.AppendLine(e.Data); };
            run.Process.ErrorDataReceived += (_, e) => { lock (run._output) run._output.AppendLine(e.Data); };
            run.Process.Start();
            run.Process.BeginOutputReadLine();
            run.Process.BeginErrorReadLine();
            return run;
        }

        public string Output() { lock (_output) return _output.ToString(); }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                using (var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                    await kill.WaitForExitAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
                try { await Process.WaitForExitAsync(timeout.Token); }
                catch (OperationCanceledException) { Process.Kill(entireProcessTree: true); }
            }
            Process.Dispose();
        }
    }

    [GeneratedRegex(@"Dashboard\s*: (\S+)")]
    private static partial Regex PrintedLogin();

    private static async Task<HttpResponseMessage?> Answer(HttpClient http, string url)
    {
        try { return await http.GetAsync(url); }
        catch (HttpRequestException) { return null; }
        catch (TaskCanceledException) { return null; }
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe, AppHostRun run, string what, TimeSpan? within = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(240));
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found) return found;
            if (run.Process.HasExited) throw new InvalidOperationException($"The app host exited with {run.Process.ExitCode} before {what}:\n{run.Output()}");
            await Task.Delay(500);
        }
        throw new TimeoutException($"No {what} in time:\n{run.Output()}");
    }

    private static string Configuration => AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TradeNet.sln"))) return dir.FullName;
        throw new InvalidOperationException("TradeNet.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try { _work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
