using System.Diagnostics;
using TradeNet.AppHost;

namespace TradeNet.Telemetry.Tests;

/// <summary>The distributed topology without a RabbitMQ to run on (no Docker engine, no rabbitmq-server, or a node that does
/// not start): the app host says so as it says a refused setting, and leaves nothing behind. It was an unhandled exception
/// with its stack and an abort (134), and the data folder it had made stayed, empty. Nothing listens: the start stops
/// before the dashboard.</summary>
public sealed class AppHostStartFailureTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("tradenet-apphost-start-");

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the local node's scripts are bash
    public async Task A_distributed_start_whose_rabbitmq_node_cannot_start_says_why_exits_with_2_and_leaves_no_data_folder()
    {
        // A rabbitmq-server that fails at once, in place of the installed one (RABBITMQ_SBIN wins over it): the same failure
        // on every machine, whether RabbitMQ is installed or not.
        var broken = Directory.CreateDirectory(Path.Combine(_work.FullName, "sbin"));
        foreach (var tool in new[] { "rabbitmq-server", "rabbitmqctl" })
        {
            var script = Path.Combine(broken.FullName, tool);
            await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'this rabbitmq-server is broken' >&2\nexit 1\n");
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        }
        File.SetUnixFileMode(_work.FullName, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(broken.FullName, (UnixFileMode)0b111_101_101);
        var dataDir = Path.Combine(_work.FullName, "data");

        var info = new ProcessStartInfo("dotnet", [AppHostDll(), "--topology", "distributed"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["TRADENET_NO_DOCKER"] = "1";
        info.Environment["RABBITMQ_SBIN"] = broken.FullName;
        info.Environment["TradeNet__DataDir"] = dataDir;
        info.Environment["TradeNet__GatewayPort"] = ListenPorts.Next().ToString();
        // Ports of its own for the dashboard: the start checks them, and the defaults (15080, 19080, 20080) may be another
        // app host's on this machine, which would end this start for that reason instead.
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ListenPorts.Next()}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{ListenPorts.Next()}";
        info.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{ListenPorts.Next()}";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The app host did not stop:\n{await stdout}\n{await stderr}");
        }

        var error = await stderr;
        Assert.True(process.ExitCode == 2, $"exit code {process.ExitCode}:\n{await stdout}\n{error}");
        Assert.StartsWith("TradeNet cannot start: ", error);
        Assert.Contains("RabbitMQ", error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(dataDir), $"{dataDir} was left behind");
    }

    private static string AppHostDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TradeNet.sln")))
            {
                var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
                var dll = Path.Combine(dir.FullName, "deploy", "TradeNet.AppHost", "bin", configuration, "net10.0", "TradeNet.AppHost.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException($"The app host is not built: {dll}");
            }
        throw new InvalidOperationException("TradeNet.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
