using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace TradeNet.AppHost;

/// <summary>What the app host starts and where. Keys: <c>--topology embedded|distributed</c> (or env
/// TRADENET_TOPOLOGY), <c>TradeNet:GatewayPort</c> (5000), <c>TradeNet:DataDir</c> (a fresh temp folder),
/// <c>TradeNet:OperatorKey</c> (generated and printed when unset), <c>TradeNet:Seed</c> (embedded topology: the demo towns,
/// true unless false).</summary>
public sealed record AppHostSettings(bool Distributed, int GatewayPort, string DataDir, string OperatorKey, string TokenKey,
    string? ExtraMetricsEndpoint, string DashboardUrl, bool Seed = true)
{
    public static AppHostSettings From(IConfiguration config)
    {
        var topology = config["topology"] ?? config["TRADENET_TOPOLOGY"] ?? "embedded";
        if (topology is not ("embedded" or "distributed"))
            throw new ArgumentException($"Unknown topology '{topology}': use 'embedded' (default) or 'distributed'.");
        var seed = config["TradeNet:Seed"] is not { } seedText || (bool.TryParse(seedText, out var s) ? s
            : throw new ArgumentException($"TradeNet:Seed is '{seedText}': use true or false."));
        var dataDir = config["TradeNet:DataDir"] ?? Path.Combine(Path.GetTempPath(), "tradenet-apphost", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));
        // Every trade and the demo keys go here: readable by the user who runs the app host only.
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dataDir);
        else Directory.CreateDirectory(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new AppHostSettings(
            topology == "distributed",
            int.TryParse(config["TradeNet:GatewayPort"], out var port) ? port : 5000,
            dataDir,
            config["TradeNet:OperatorKey"] ?? "op_" + Secret(),
            Secret() + Secret(),
            config["TradeNet:Telemetry:ExtraMetricsEndpoint"],
            (config["ASPNETCORE_URLS"] ?? "http://localhost:15080").Split(';')[0],
            seed);
    }

    public string GatewayUrl => $"http://127.0.0.1:{GatewayPort}";

    public static string Http(int? port) => "http://127.0.0.1:" + port;

    public static int FreePort() => ListenPorts.Next();

    private static string Secret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
