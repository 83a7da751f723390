using System.Diagnostics;

namespace TradeNet.Integration.Tests.Infrastructure;

/// <summary>A private RabbitMQ node owned by the test run: its own name, ports and data folder,
/// started and stopped with the scripts in deploy/rabbitmq.</summary>
public sealed class RabbitMqNode : IAsyncDisposable
{
    private RabbitMqNode(string dataDir, int port, int distPort)
    {
        DataDir = dataDir;
        Port = port;
        DistPort = distPort;
    }

    public string DataDir { get; }
    public int Port { get; }
    public int DistPort { get; }

    public static async Task<RabbitMqNode> StartAsync()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "tradenet-rabbit", Guid.NewGuid().ToString("N")[..12]);
        var node = new RabbitMqNode(dataDir, Repo.FreePort(), Repo.FreePort());
        await RunScriptAsync("start-node.sh", dataDir, node.Port.ToString(), node.DistPort.ToString());
        return node;
    }

    /// <summary>Stops the broker but keeps its data, as a crash or maintenance would.</summary>
    public Task StopAsync() => RunScriptAsync("stop-node.sh", DataDir, "--keep");

    /// <summary>Freezes the node's VM (SIGSTOP) for <paramref name="duration"/>, then lets it go on: connections stay open
    /// and publishes wait for confirms, as when the broker hangs rather than refuses.</summary>
    public async Task PauseAsync(TimeSpan duration)
    {
        var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(DataDir, "node.pid"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Signal.SendAsync("STOP", pid);
        try
        {
            await Task.Delay(duration);
        }
        finally
        {
            await Signal.SendAsync("CONT", pid);
        }
    }

    public Task RestartAsync() => RunScriptAsync("start-node.sh", DataDir, Port.ToString(), DistPort.ToString());

    /// <summary>rabbitmqctl against this node (deploy/rabbitmq/ctl.sh): its exit code and what it printed.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> CtlAsync(params string[] args) => RunAsync("ctl.sh", [DataDir, .. args]);

    private static async Task RunScriptAsync(string script, params string[] args)
    {
        var (exitCode, stdout, stderr) = await RunAsync(script, args);
        if (exitCode != 0)
            throw new InvalidOperationException($"{script} {string.Join(' ', args)} failed ({exitCode}):\n{stdout}\n{stderr}");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string script, string[] args)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "deploy", "rabbitmq", script), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        try { await RunScriptAsync("stop-node.sh", DataDir); }
        catch (InvalidOperationException) { /* already stopped; the script removes what is left */ }
    }
}
