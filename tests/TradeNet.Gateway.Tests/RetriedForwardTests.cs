using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TradeNet.Gateway.Tests;

/// <summary>A service that takes a write on a kept-alive connection and then goes down without answering (it crashed
/// after committing, say). The edge's HTTP client sends a request again on a new connection when a reused one closes
/// before any answer; that new connection is refused, so YARP's error reads as if no connection was ever made. But the
/// first attempt did reach the service, which may have applied it: the town must not be told that sending it again is safe.</summary>
public sealed class RetriedForwardTests : IAsyncLifetime
{
    private EchoBackend _backend = null!;
    private DownAfterSecondRequest _logistics = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _backend = await EchoBackend.StartAsync();
        _logistics = DownAfterSecondRequest.Start();
        _gateway = new GatewayFactory(_backend, new FakeCatalog(), new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:logistics:Destinations:d1:Address"] = $"http://127.0.0.1:{_logistics.Port}",
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _logistics.Dispose();
        await _backend.DisposeAsync();
    }

    [Fact]
    public async Task A_write_that_reached_the_service_before_it_went_down_is_not_told_that_nothing_reached_it()
    {
        var client = _gateway.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", GatewayFactory.OperatorKey);
        var shipment = $"/api/logistics/shipments/{Guid.NewGuid()}/pickup";
        // The first write is answered and leaves its connection open for the next one.
        var first = await client.PostAsync(shipment, null);
        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync());

        var response = await client.PostAsync(shipment, null);

        // Both writes reached it (the handler may resend the second on a new connection once more: 3 in one CI run).
        Assert.True(_logistics.Received >= 2, $"received {_logistics.Received}");
        var problem = await EdgeAssert.Problem(response, HttpStatusCode.BadGateway);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("The logistics service could not be reached", detail);
        Assert.DoesNotContain("nothing reached it", detail);
        Assert.Contains("may have been applied", detail);
    }

    /// <summary>Answers every request (the edge's health probes too, kept alive) until the second POST: that one is read
    /// whole, then the port stops taking connections and the connection closes with no answer.</summary>
    private sealed class DownAfterSecondRequest : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private int _received;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public int Received => Volatile.Read(ref _received);

        public static DownAfterSecondRequest Start()
        {
            var service = new DownAfterSecondRequest();
            service._listener.Start();
            _ = service.AcceptAsync();
            return service;
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true) _ = ServeAsync(await _listener.AcceptTcpClientAsync());
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // Stopped.
            }
        }

        private async Task ServeAsync(TcpClient connection)
        {
            using var _ = connection;
            try
            {
                var stream = connection.GetStream();
                while (true)
                {
                    var head = await ReadHeadAsync(stream);
                    if (head.StartsWith("POST ", StringComparison.Ordinal) && Interlocked.Increment(ref _received) == 2)
                    {
                        _listener.Stop();
                        return;
                    }
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The connection closed.
            }
        }

        // The requests carry no body: the head ends the request.
        private static async Task<string> ReadHeadAsync(NetworkStream stream)
        {
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0) throw new IOException("the connection closed before a whole request head");
                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            return head.ToString();
        }

        public void Dispose() => _listener.Stop();
    }
}
