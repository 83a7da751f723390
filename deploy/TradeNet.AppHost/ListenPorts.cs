using System.Net;
using System.Net.Sockets;

namespace TradeNet.AppHost;

/// <summary>
/// Ports for the processes the app host (or a test) starts. A port the OS hands out for port 0 lies in the ephemeral
/// range, where any outgoing connection on the machine (a RabbitMQ client, an HTTP client, another test assembly) may
/// take it before the process binds it; that once failed a CI run with "address already in use". Ports below that
/// range are only ever taken by listeners, and each is checked free and handed out once per process.
/// The test helpers compile this file too (TradeNet.Testing links it).
/// </summary>
public static class ListenPorts
{
    private static readonly HashSet<int> HandedOut = [];
    private static readonly int Below = EphemeralLow();

    public static int Next()
    {
        lock (HandedOut)
        {
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
