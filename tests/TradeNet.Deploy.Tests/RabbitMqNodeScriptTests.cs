using System.Diagnostics;
using System.Runtime.Versioning;

namespace TradeNet.Deploy.Tests;

/// <summary>deploy/rabbitmq/start-node.sh run over a stand-in rabbitmq-server (RABBITMQ_SBIN): what it writes for the node, without
/// starting one.</summary>
[UnsupportedOSPlatform("windows")] // the scripts are bash
public sealed class RabbitMqNodeScriptTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("tradenet-node-script-");

    [Fact]
    public async Task A_node_restarted_on_another_amqp_port_is_configured_for_that_port()
    {
        // Seen Dec 2026: started on 7560, stopped with --keep, started again on 7562: the script printed
        // AMQP_URL=amqp://guest:guest@127.0.0.1:7562/ while the node listened on 7560, the port its rabbitmq.conf, written at the
        // first start only, still named (the file wins over RABBITMQ_NODE_PORT).
        var sbin = StandIn();
        var node = Path.Combine(_work.FullName, "node");

        var first = await StartAsync(sbin, node, 7560, 7561);
        var second = await StartAsync(sbin, node, 7562, 7563);

        Assert.True(first.Code == 0, first.Output);
        Assert.True(second.Code == 0, second.Output);
        Assert.Contains("AMQP_URL=amqp://guest:guest@127.0.0.1:7562/", second.Output);
        var config = await File.ReadAllTextAsync(Path.Combine(node, "rabbitmq.conf"));
        Assert.Contains("listeners.tcp.default = 127.0.0.1:7562", config);
        Assert.DoesNotContain("7560", config);
    }

    /// <summary>A rabbitmq-server that starts nothing and a rabbitmqctl that says yes to everything (the wait, the stop).</summary>
    private string StandIn()
    {
        var sbin = Directory.CreateDirectory(Path.Combine(_work.FullName, "sbin"));
        foreach (var tool in new[] { "rabbitmq-server", "rabbitmqctl" })
        {
            var path = Path.Combine(sbin.FullName, tool);
            File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
        // Run as root, the script runs the tools as user rabbitmq: it must reach them.
        File.SetUnixFileMode(_work.FullName, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(sbin.FullName, (UnixFileMode)0b111_101_101);
        return sbin.FullName;
    }

    private static async Task<(int Code, string Output)> StartAsync(string sbin, string node, int amqp, int dist)
    {
        // The ports are only written, never bound: the stand-in listens on nothing (the script checks they are free).
        var info = new ProcessStartInfo("bash", [Path.Combine(Yaml.RepoRoot, "deploy", "rabbitmq", "start-node.sh"), node, $"{amqp}", $"{dist}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["RABBITMQ_SBIN"] = sbin;
        info.Environment["RABBITMQ_START_TIMEOUT"] = "10";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
