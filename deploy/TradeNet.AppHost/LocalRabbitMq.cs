using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TradeNet.AppHost;

/// <summary>A private node of the locally installed rabbitmq-server, started before the services by the
/// repo's deploy/rabbitmq scripts (own name, ports and data folder) and stopped when the app host stops.</summary>
public static partial class LocalRabbitMq
{
    public static void StartLocalRabbitMq(this IDistributedApplicationBuilder builder, int port)
    {
        var scripts = Path.Combine(RepoRoot(builder.AppHostDirectory), "deploy", "rabbitmq");
        // Under /tmp: the rabbitmq user must be able to reach the folder when we run as root.
        var dataDir = Path.Combine("/tmp", "tradenet-apphost-rabbit", Guid.NewGuid().ToString("N")[..12]);
        var watch = Stopwatch.StartNew();
        var (code, output) = Run(Path.Combine(scripts, "start-node.sh"), dataDir, port.ToString(), AppHostSettings.FreePort().ToString());
        if (code != 0)
        {
            // The script stops what it started, unless it was cut short (killed at ScriptBound, exit 137): its node, started
            // detached, then went on running, and deleting its folder left nothing to find it by. The stop script ends any
            // VM of that folder (found by its pid file's path) and removes the folder; what it leaves goes here.
            if (File.Exists(Path.Combine(dataDir, "node.env"))) Run(Path.Combine(scripts, "stop-node.sh"), dataDir);
            try { if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            throw code == 3
                ? new CannotStartException("The distributed topology needs RabbitMQ: no Docker engine answers and rabbitmq-server " +
                                           $"is not installed (e.g. 'sudo apt-get install -y rabbitmq-server').\n{output.TrimEnd()}")
                : new CannotStartException($"Could not start a local RabbitMQ node (exit {code}):\n{output.TrimEnd()}");
        }
        // The node's name and the ctl.sh line: an operator stopping the broker for a drill ("When RabbitMQ goes away") must
        // find this node among other engineers' nodes on the machine, and its name is in no other output.
        var node = NodeLine().Match(output) is { Success: true } m ? m.Groups[1].Value : "(name not printed)";
        Console.WriteLine($"RabbitMQ node {node} up on 127.0.0.1:{port} after {watch.Elapsed.TotalSeconds:0.0}s (data {dataDir}; " +
                          $"deploy/rabbitmq/ctl.sh {dataDir} list_queues name messages consumers).");
        builder.Services.AddHostedService(_ => new NodeStopper(Path.Combine(scripts, "stop-node.sh"), dataDir));
    }

    [GeneratedRegex(@"^NODE=(\S+)$", RegexOptions.Multiline)]
    private static partial Regex NodeLine();

    private sealed class NodeStopper(string stopScript, string dataDir) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Run(stopScript, dataDir);
            return Task.CompletedTask;
        }
    }

    private static (int Code, string Output) Run(string script, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [script, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ScriptBound())) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>How long a script may run: longer than start-node.sh's own bounds (RABBITMQ_START_TIMEOUT, 60 s unless set, for the
    /// node to answer, then its bounded stop and kill), so that it is never cut short while it cleans up after a node too slow
    /// to start. A fixed 120 s killed it in that stop when the node had not answered within 60 s on a loaded machine.</summary>
    private static TimeSpan ScriptBound() =>
        TimeSpan.FromSeconds(Math.Max(120, (int.TryParse(Environment.GetEnvironmentVariable("RABBITMQ_START_TIMEOUT"), out var wait) ? wait : 60) + 60));

    public static string RepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TradeNet.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No TradeNet.sln above {start}.");
    }
}
