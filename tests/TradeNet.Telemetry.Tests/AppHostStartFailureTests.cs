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

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the local node's scripts are bash
    public async Task A_distributed_start_whose_rabbitmq_node_never_answers_leaves_no_node_running()
    {
        // A node that starts but never answers (a machine so loaded that the first start took 35 s and the next one more than
        // the 60 s the script waits): its "Erlang VM" is a copy of sleep named beam.smp, as the scripts find a node's VM, and
        // rabbitmqctl hangs, for the wait and for the stop alike. Seen Dec 2026: the script hung in its stop until the app host
        // killed it at 120 s, the detached VM went on listening on the node's ports, and its folder (which the stop script finds
        // it by) was deleted.
        var sbin = Directory.CreateDirectory(Path.Combine(_work.FullName, "sbin"));
        var vm = Path.Combine(sbin.FullName, "beam.smp");
        File.Copy("/bin/sleep", vm);
        await Tool("rabbitmq-server", $"#!/bin/sh\nsetsid '{vm}' 600 </dev/null >/dev/null 2>&1 &\nexit 0\n");
        await Tool("rabbitmqctl", "#!/bin/sh\nexec sleep 600\n");
        File.SetUnixFileMode(vm, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(_work.FullName, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(sbin.FullName, (UnixFileMode)0b111_101_101);
        try
        {
            var (code, output) = await RunAppHostAsync(sbin.FullName, Path.Combine(_work.FullName, "data"),
                TimeSpan.FromSeconds(240), ("RABBITMQ_START_TIMEOUT", "2"));

            Assert.True(code == 2, $"exit code {code}:\n{output}");
            Assert.Contains("TradeNet cannot start: Could not start a local RabbitMQ node", output);
            Assert.True(VmsOf(vm).Count == 0, $"the node's VM is still running:\n{output}");
        }
        finally
        {
            foreach (var pid in VmsOf(vm)) { try { Process.GetProcessById(pid).Kill(); } catch (Exception ex) when (ex is ArgumentException or InvalidOperationException) { } }
        }

        async Task Tool(string name, string text)
        {
            var path = Path.Combine(sbin.FullName, name);
            await File.WriteAllTextAsync(path, text);
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
    }

    /// <summary>The processes running this executable (the test's fake VM), by their command line.</summary>
    private static List<int> VmsOf(string executable) =>
        [.. Directory.EnumerateDirectories("/proc").Select(dir => int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0)
            .Where(pid => pid > 0).Where(pid =>
            {
                try { return File.ReadAllText($"/proc/{pid}/cmdline").StartsWith(executable + "\0", StringComparison.Ordinal); }
                catch (IOException) { return false; }
                catch (UnauthorizedAccessException) { return false; }
            })];

    /// <summary>The app host, distributed, over the rabbitmq-server in <paramref name="sbin"/>, on ports of its own; its exit code
    /// and output (it is killed and the test fails past <paramref name="timeout"/>).</summary>
    private static async Task<(int Code, string Output)> RunAppHostAsync(string sbin, string dataDir, TimeSpan timeout,
        params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo("dotnet", [AppHostDll(), "--topology", "distributed"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["TRADENET_NO_DOCKER"] = "1";
        info.Environment["RABBITMQ_SBIN"] = sbin;
        info.Environment["TradeNet__DataDir"] = dataDir;
        info.Environment["TradeNet__GatewayPort"] = ListenPorts.Next().ToString();
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ListenPorts.Next()}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{ListenPorts.Next()}";
        info.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{ListenPorts.Next()}";
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The app host did not stop:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
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
