using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using TradeNet.AppHost;

namespace TradeNet.Deploy.Tests;

/// <summary>deploy/docker/TradeNet.HealthProbe run as the images' HEALTHCHECK and compose's healthchecks run it: a process
/// whose exit code says whether the URL answered 2xx.</summary>
public class HealthProbeTests
{
    private static readonly string Probe = Path.Combine(AppContext.BaseDirectory, "TradeNet.HealthProbe.dll");

    [Fact]
    public async Task A_service_answering_200_is_healthy()
    {
        var (port, served) = Serve("200 OK");

        Assert.Equal(0, await RunProbeAsync($"http://127.0.0.1:{port}/health"));
        await served;
    }

    [Fact]
    public async Task A_service_answering_503_is_unhealthy()
    {
        var (port, served) = Serve("503 Service Unavailable");

        Assert.Equal(1, await RunProbeAsync($"http://127.0.0.1:{port}/health"));
        await served;
    }

    [Fact]
    public async Task A_port_nothing_listens_on_is_unhealthy() =>
        Assert.Equal(1, await RunProbeAsync($"http://127.0.0.1:{ListenPorts.Next()}/health"));

    /// <summary>Docker passes a proxy configured for its client (~/.docker/config.json "proxies") into containers as
    /// HTTP_PROXY, and HttpClient sent the probe's request to the container's own loopback through it: a healthy service was
    /// reported unhealthy, and compose never started what depends on it.</summary>
    [Fact]
    public async Task A_proxy_in_the_environment_is_not_asked_for_the_containers_own_address()
    {
        var (port, served) = Serve("200 OK");
        var noProxyThere = $"http://127.0.0.1:{ListenPorts.Next()}";

        Assert.Equal(0, await RunProbeAsync($"http://127.0.0.1:{port}/health", ("HTTP_PROXY", noProxyThere), ("http_proxy", noProxyThere)));
        await served;
    }

    /// <summary>Answers one request with <paramref name="status"/> and an empty body, on a port of its own.</summary>
    private static (int Port, Task Served) Serve(string status)
    {
        var port = ListenPorts.Next();
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        async Task ServeOnce()
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(30));
                var stream = client.GetStream();
                var buffer = new byte[4096];
                var head = "";
                while (!head.Contains("\r\n\r\n") && await stream.ReadAsync(buffer) is var read and > 0)
                    head += Encoding.ASCII.GetString(buffer, 0, read);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
            }
            finally
            {
                listener.Stop();
            }
        }
        return (port, ServeOnce());
    }

    private static async Task<int> RunProbeAsync(string url, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Probe);
        start.ArgumentList.Add(url);
        foreach (var name in new[] { "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await output;
        return process.ExitCode;
    }
}
