using System.Diagnostics;
using System.Text.RegularExpressions;

namespace TradeNet.Telemetry.Tests;

/// <summary>SIGTERM to the app host (distributed): it stops TradeNet's processes, gateway first, while the RabbitMQ node
/// they use is still up, and only then the node. It stopped the node first (its stop script, about 3 s, under running
/// services), exited, and left the services and the dashboard to DCP: the last service went 14 s after the signal.</summary>
public sealed partial class AppHostStopTests
{
    private static readonly string[] Services = ["Gateway", "Catalog", "Matching", "Logistics"];

    [Fact]
    public async Task The_app_host_stops_the_gateway_then_the_services_and_only_then_the_RabbitMQ_node()
    {
        var appHost = new AppHostProcess();
        try
        {
            await appHost.InitializeAsync();
            var node = NodeDataDir().Match(appHost.Output) is { Success: true } m
                ? int.Parse(File.ReadAllText(Path.Combine(m.Groups[1].Value, "node.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"The app host printed no RabbitMQ node folder:\n{appHost.Output}");
            var processes = Services.ToDictionary(s => s, s => ServiceProcessOf(s, appHost.DataDir));

            using (var kill = Process.Start("kill", ["-TERM", appHost.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            var watch = Stopwatch.StartNew();
            var gone = new Dictionary<string, TimeSpan>();
            while (watch.Elapsed < TimeSpan.FromSeconds(60) && gone.Count < Services.Length + 1)
            {
                foreach (var (name, pid) in processes.Append(new("node", node)))
                    if (!gone.ContainsKey(name) && !Alive(pid)) gone[name] = watch.Elapsed;
                await Task.Delay(50);
            }

            var when = string.Join(", ", gone.OrderBy(g => g.Value).Select(g => $"{g.Key} {g.Value.TotalSeconds:0.0} s"));
            Assert.True(gone.Count == Services.Length + 1, $"Still running 60 s after SIGTERM (gone: {when}):\n{appHost.Output}");
            Assert.True(Services.All(s => gone[s] < gone["node"]), $"The node stopped before a service: {when}");
            Assert.True(Services.Where(s => s != "Gateway").All(s => gone["Gateway"] <= gone[s]), $"A service stopped before the gateway: {when}");
        }
        finally
        {
            await appHost.DisposeAsync();
        }
    }

    [GeneratedRegex(@"\(data (\S+); deploy/rabbitmq/ctl\.sh")]
    private static partial Regex NodeDataDir();

    /// <summary>The service's process among those this app host started: DCP runs it under `dotnet run`, with the app
    /// host's environment, so its data folder setting names it.</summary>
    private static int ServiceProcessOf(string service, string dataDir)
    {
        foreach (var proc in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName))
        {
            if (!int.TryParse(proc, out var pid)) continue;
            try
            {
                var command = File.ReadAllText($"/proc/{pid}/cmdline");
                if (!command.Split('\0')[0].EndsWith($"/TradeNet.{service}", StringComparison.Ordinal)) continue;
                if (File.ReadAllText($"/proc/{pid}/environ").Split('\0').Contains($"TradeNet__DataDir={dataDir}")) return pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        throw new InvalidOperationException($"No TradeNet.{service} process of the app host with data folder {dataDir}");
    }

    /// <summary>Running, not a zombie waiting for its parent.</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (IOException) { return false; }
    }
}
