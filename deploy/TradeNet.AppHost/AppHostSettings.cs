using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace TradeNet.AppHost;

/// <summary>What the app host starts and where. Keys: <c>--topology embedded|distributed</c> (or env
/// TRADENET_TOPOLOGY), <c>TradeNet:GatewayPort</c> (5000), <c>TradeNet:DataDir</c> (a fresh temp folder),
/// <c>TradeNet:OperatorKey</c> (generated and printed when unset).</summary>
public sealed record AppHostSettings(bool Distributed, int GatewayPort, string DataDir, string OperatorKey, string TokenKey,
    string? ExtraMetricsEndpoint, string DashboardUrl)
{
    public static AppHostSettings From(IConfiguration config)
    {
        var topology = config["topology"] ?? config["TRADENET_TOPOLOGY"] ?? "embedded";
        if (topology is not ("embedded" or "distributed"))
            throw new ArgumentException($"Unknown topology '{topology}': use 'embedded' (default) or 'distributed'.");
        var dataDir = config["TradeNet:DataDir"] ?? Path.Combine(Path.GetTempPath(), "tradenet-apphost", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));
        Directory.CreateDirectory(dataDir);
        return new AppHostSettings(
            topology == "distributed",
            int.TryParse(config["TradeNet:GatewayPort"], out var port) ? port : 5000,
            dataDir,
            config["TradeNet:OperatorKey"] ?? "op_" + Secret(),
            Secret() + Secret(),
            config["TradeNet:Telemetry:ExtraMetricsEndpoint"],
            (config["ASPNETCORE_URLS"] ?? "http://localhost:15080").Split(';')[0]);
    }

    public string GatewayUrl => $"http://127.0.0.1:{GatewayPort}";

    public static string Http(int? port) => "http://127.0.0.1:" + port;

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A free port below 32768, Linux's ephemeral range, where an outgoing connection could take a port the
    /// OS handed out for port 0 before the service binds it ("address already in use"); each handed out once.</summary>
    public static int FreePort()
    {
        lock (HandedOut)
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = Random.Shared.Next(20_000, 32_768);
                if (HandedOut.Add(port) && IsFree(port)) return port;
            }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }

    private static string Secret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
