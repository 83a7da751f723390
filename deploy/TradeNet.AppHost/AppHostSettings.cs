using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace TradeNet.AppHost;

/// <summary>What the app host starts and where. Keys: <c>--topology embedded|distributed</c> (or env
/// TRADENET_TOPOLOGY), <c>TradeNet:GatewayPort</c> (5000), <c>TradeNet:DataDir</c> or <c>Storage:DataDir</c> (a fresh temp folder),
/// <c>TradeNet:OperatorKey</c> (generated and printed when unset), <c>TradeNet:Seed</c> (embedded topology: the demo towns,
/// true unless false).</summary>
public sealed record AppHostSettings(bool Distributed, int GatewayPort, string DataDir, string OperatorKey, string TokenKey,
    string? ExtraMetricsEndpoint, string DashboardUrl, bool Seed = true)
{
    /// <summary>The settings of a start that goes ahead: read, checked (a gateway port another process holds is refused),
    /// and only then the data folder made. Made first, a refused start left an empty folder behind (a new temp folder each
    /// try, or the one an operator named).</summary>
    public static AppHostSettings ForStart(IConfiguration config)
    {
        var settings = From(config);
        RefuseTakenGatewayPort(settings.GatewayPort);
        DashboardAddresses.RefuseTaken(config);
        // Free until their processes start: the services' own ports must not be picked among them.
        ListenPorts.Reserve([settings.GatewayPort, .. DashboardAddresses.Configured(config).Select(a => a.Port)]);
        var made = !Directory.Exists(settings.DataDir);
        try
        {
            // Every trade and the demo keys go here: readable by the user who runs the app host only.
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(settings.DataDir);
            else Directory.CreateDirectory(settings.DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A refused setting like the others (one line, exit 2), not the stack trace of an unhandled exception.
            throw new ArgumentException($"the data folder {settings.DataDir} cannot be made: {ex.Message}", ex);
        }
        return settings with { DataDirMade = made };
    }

    /// <summary>Whether <see cref="ForStart"/> made the data folder (it did not exist before this start).</summary>
    public bool DataDirMade { get; init; }

    /// <summary>After a start refused once the data folder was made (the broker could not be had): the folder goes again if
    /// this start made it and nothing was written to it, as a start refused before it is made leaves none.</summary>
    public void RemoveDataDirIfUnused()
    {
        try
        {
            if (DataDirMade && Directory.Exists(DataDir) && !Directory.EnumerateFileSystemEntries(DataDir).Any()) Directory.Delete(DataDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>The settings as configured; nothing on disk is made or checked (<see cref="ForStart"/> does).</summary>
    public static AppHostSettings From(IConfiguration config)
    {
        var topology = config["topology"] ?? config["TRADENET_TOPOLOGY"] ?? "embedded";
        if (topology is not ("embedded" or "distributed"))
            throw new ArgumentException($"Unknown topology '{topology}': use 'embedded' (default) or 'distributed'.");
        var seed = config["TradeNet:Seed"] is not { } seedText || (bool.TryParse(seedText, out var s) ? s
            : throw new ArgumentException($"TradeNet:Seed is '{seedText}': use true or false."));
        var dataDir = DataDirFrom(config);
        return new AppHostSettings(
            topology == "distributed",
            GatewayPortFrom(config),
            dataDir,
            config["TradeNet:OperatorKey"] ?? "op_" + Secret(),
            Secret() + Secret(),
            config["TradeNet:Telemetry:ExtraMetricsEndpoint"],
            (config["ASPNETCORE_URLS"] ?? DashboardAddresses.DefaultDashboardUrl).Split(';')[0],
            seed);
    }

    /// <summary><c>TradeNet:GatewayPort</c>, 5000 unless set. A value that is no port (<c>54OO</c>, <c>70000</c>) is refused like the
    /// other settings: it was taken for 5000 without a word, so the gateway came up where the operator had moved it from.</summary>
    public static int GatewayPortFrom(IConfiguration config)
    {
        if (config["TradeNet:GatewayPort"] is not { } text || string.IsNullOrWhiteSpace(text)) return 5000;
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535
            ? port
            : throw new ArgumentException($"TradeNet:GatewayPort is '{text}': use a port number from 1 to 65535 (5000 unless set).");
    }

    /// <summary><c>TradeNet:DataDir</c>, or <c>Storage:DataDir</c> (env Storage__DataDir), the key the standalone host and the
    /// services take: an operator who moves the standalone host's data with it expects the app host to follow, and it used
    /// to ignore it (a new temp folder, the data given elsewhere). Both, naming different folders, is refused rather than
    /// one silently winning. Made absolute here: each service runs in its own project folder, where a relative path would
    /// name a folder of its own.</summary>
    public static string DataDirFrom(IConfiguration config)
    {
        string? own = config["TradeNet:DataDir"], storage = config["Storage:DataDir"];
        if (string.IsNullOrWhiteSpace(own)) own = null;
        if (string.IsNullOrWhiteSpace(storage)) storage = null;
        if (own is not null && storage is not null && Full(own) != Full(storage))
            throw new ArgumentException($"TradeNet:DataDir ('{own}') and Storage:DataDir ('{storage}') name different data folders: set one of them.");
        return Full(own ?? storage ?? Path.Combine(Path.GetTempPath(), "tradenet-apphost", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss")));
    }

    /// <summary>The gateway's port is fixed (5000 unless <c>TradeNet:GatewayPort</c>), and the process that listens on it is
    /// started by DCP, whose failure to bind shows only as an exited resource on the dashboard: the app host went on
    /// printing "TradeNet gateway : http://127.0.0.1:5000" while another process (a standalone host still running, say)
    /// answered there. Refused at start instead, as the other hosts refuse a taken address.</summary>
    public static void RefuseTakenGatewayPort(int port)
    {
        if (!ListenPorts.IsFree(port))
            throw new ArgumentException($"Failed to bind to address http://127.0.0.1:{port}: address already in use. Another process " +
                "listens there (a TradeNet still running?): stop it, or give the gateway another port with TradeNet:GatewayPort " +
                "(-- --TradeNet:GatewayPort=5400).");
    }

    private static string Full(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));

    public string GatewayUrl => $"http://127.0.0.1:{GatewayPort}";

    public static string Http(int? port) => "http://127.0.0.1:" + port;

    public static int FreePort() => ListenPorts.Next();

    private static string Secret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
