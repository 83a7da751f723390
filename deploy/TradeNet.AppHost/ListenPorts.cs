using System.Net;
using System.Net.Sockets;

namespace TradeNet.AppHost;

/// <summary>
/// Ports for the processes the app host (or a test) starts. A port the OS hands out for port 0 lies in the ephemeral
/// range, where any outgoing connection on the machine (a RabbitMQ client, an HTTP client, another test assembly) may
/// take it before the process binds it; that once failed a CI run with "address already in use". Ports below that
/// range are only ever taken by listeners, and each is checked free and handed out once per process.
/// <c>TRADENET_LISTEN_PORTS=7300-7399</c> keeps them in a range of the operator's (a machine shared by several people,
/// a firewall's opening); a range with no free port left is refused rather than left for one outside it.
/// The test helpers compile this file too (TradeNet.Testing links it).
/// </summary>
public static class ListenPorts
{
    public const string RangeVariable = "TRADENET_LISTEN_PORTS";
    private static readonly HashSet<int> HandedOut = [];
    private static readonly int Below = EphemeralLow();

    public static int Next()
    {
        lock (HandedOut)
        {
            // Read at each call, so that a value that is no range is refused as a setting (ArgumentException), not a type's failed start.
            if (RangeFrom(Environment.GetEnvironmentVariable(RangeVariable)) is { } range) return NextIn(range);
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = Random.Shared.Next(Math.Max(1024, Below - 12_000), Below);
                if (HandedOut.Add(port) && IsFree(port)) return port;
            }
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0); // every try taken: fall back to the OS's choice
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The first port of the range neither handed out nor taken.</summary>
    public static int NextIn((int Low, int High) range)
    {
        lock (HandedOut)
        {
            for (var port = range.Low; port <= range.High; port++)
                if (HandedOut.Add(port) && IsFree(port)) return port;
        }
        throw new ArgumentException($"{RangeVariable}={range.Low}-{range.High}: no free port left in that range.");
    }

    /// <summary>Ports this process was told to listen on (the gateway's, the dashboard's): never handed out for another.
    /// Free until their listener starts, they were as likely as any other to be picked.</summary>
    public static void Reserve(IEnumerable<int> ports)
    {
        lock (HandedOut) HandedOut.UnionWith(ports);
    }

    /// <summary>A range <c>low-high</c> of ports 1024..65535, or null when unset; anything else is refused naming it.</summary>
    public static (int Low, int High)? RangeFrom(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split('-');
        return parts.Length == 2 && Port(parts[0]) is { } low && Port(parts[1]) is { } high && low <= high
            ? (low, high)
            : throw new ArgumentException($"{RangeVariable} is '{text}': use a range of ports such as 7300-7399 (1024 to 65535).");

        static int? Port(string part) =>
            int.TryParse(part.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p)
            && p is >= 1024 and <= 65535 ? p : null;
    }

    /// <summary>Whether a listener could take this port on the loopback address now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }

    /// <summary>The low end of Linux's ephemeral range (32768 unless configured); elsewhere 32768.</summary>
    private static int EphemeralLow()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        try
        {
            if (File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], out var low) && low > 2048)
                return low;
        }
        catch (IOException) { }
        return 32768;
    }
}
