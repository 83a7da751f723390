using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using TradeNet.AppHost;
using TradeNet.Testing;

namespace TradeNet.Telemetry.Tests;

/// <summary>The Aspire app host as an operator starts it, distributed topology over a private node of the
/// local rabbitmq-server, with the dashboard on ports of its own and secured as it is by default (its telemetry API takes
/// the key the app host prints). Metrics also go to <see cref="Metrics"/>.</summary>
public sealed partial class AppHostProcess : IAsyncLifetime
{
    public const string OperatorKey = "ops-key-for-telemetry-tests-0123456789";
    private readonly StringBuilder _output = new();
    private Process? _process;

    public Uri Gateway { get; private set; } = null!;
    public Uri Dashboard { get; private set; } = null!;
    public string TelemetryApiKey { get; private set; } = null!;
    public MetricsReceiver Metrics { get; private set; } = null!;
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The app host's OS process id (a stop test signals it itself).</summary>
    public int ProcessId => _process!.Id;

    /// <summary>The data folder it was given; the processes it starts inherit its environment, this setting included.</summary>
    public string DataDir => _dataDir;

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "tradenet-tests", "apphost-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server") && !OnPath("rabbitmq-server"))
            throw new InvalidOperationException("The telemetry test runs the distributed topology over a local RabbitMQ: " +
                                                "install rabbitmq-server (apt-get install -y rabbitmq-server); .ci/run does.");
        await ProcessTestsLock.HoldForThisProcessAsync(ProcessTestsLock.Wait);
        var root = RepoRoot();
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        var dll = Path.Combine(root, "deploy", "TradeNet.AppHost", "bin", configuration, "net10.0", "TradeNet.AppHost.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"The app host is not built: {dll}");

        Metrics = await MetricsReceiver.StartAsync(FreePort());
        int dashboard = FreePort(), gateway = FreePort();
        Gateway = new Uri($"http://127.0.0.1:{gateway}");
        Dashboard = new Uri($"http://127.0.0.1:{dashboard}");
        var info = new ProcessStartInfo("dotnet", [dll, "--topology", "distributed"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var env = info.Environment;
        env["DOTNET_ENVIRONMENT"] = "Development";
        env["ASPNETCORE_URLS"] = Dashboard.ToString().TrimEnd('/');
        env["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort()}";
        env["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort()}";
        env["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        env["TRADENET_NO_DOCKER"] = "1"; // the same path on every machine: the local rabbitmq-server, SQLite
        env["TradeNet__GatewayPort"] = gateway.ToString();
        env["TradeNet__OperatorKey"] = OperatorKey;
        // Its own folder, removed after the test: left to itself the app host makes a new one in the temp folder each run.
        env["TradeNet__DataDir"] = _dataDir;
        env["TradeNet__Telemetry__ExtraMetricsEndpoint"] = Metrics.Endpoint;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitHealthyAsync(new Uri(Gateway, "/health"), TimeSpan.FromSeconds(240));
        TelemetryApiKey = PrintedTelemetryKey().Match(Output) is { Success: true } printed ? printed.Groups[1].Value
            : throw new InvalidOperationException($"The app host printed no telemetry API key:\n{Output}");
    }

    [GeneratedRegex(@"Telemetry API key: (\S+)")]
    private static partial Regex PrintedTelemetryKey();

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitHealthyAsync(Uri health, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"The app host exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync(health)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(500);
        }
        throw new TimeoutException($"The gateway was not healthy at {health} within {timeout}:\n{Output}");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // SIGTERM lets the app host stop its resources and the RabbitMQ node; SIGKILL would leave them running.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
            try { await _process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process?.Dispose();
        if (Metrics is not null) await Metrics.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TradeNet.sln"))) return dir.FullName;
        throw new InvalidOperationException("TradeNet.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort() => ListenPorts.Next();
}
