using System.Net;
using System.Net.Sockets;

namespace TradeNet.Testing;

/// <summary>A loopback port held bound and never listening while the test lasts: a connection to it is refused, as at a
/// stopped broker's or a killed replica's port. A port picked by a listener that then closed is free for any server
/// starting on port 0 meanwhile (other tests start theirs in the same process), which would then answer.</summary>
public sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedPort() => _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public void Dispose() => _socket.Dispose();
}
