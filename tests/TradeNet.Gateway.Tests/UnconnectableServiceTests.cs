using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;

namespace TradeNet.Gateway.Tests;

/// <summary>A service whose host takes no connection at all (powered off, or a firewall dropping them): the edge's
/// connection attempt runs out (YARP's ConnectTimeout, 15 s, cut to 1 s here) and YARP answers 504, as for a service
/// that took the request and did not answer. Nothing reached this one.</summary>
public sealed class UnconnectableServiceTests : IAsyncLifetime
{
    private EchoBackend _backend = null!;
    private UnansweredConnects _logistics = null!;
    private GatewayFactory _gateway = null!;
    private WebApplicationFactory<Program> _edge = null!;

    public async Task InitializeAsync()
    {
        _backend = await EchoBackend.StartAsync();
        _logistics = await UnansweredConnects.StartAsync();
        _gateway = new GatewayFactory(_backend, new FakeCatalog(), new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:logistics:Destinations:d1:Address"] = $"http://127.0.0.1:{_logistics.Port}",
        });
        _edge = _gateway.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IForwarderHttpClientFactory, QuickConnect>()));
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _gateway.DisposeAsync();
        _logistics.Dispose();
        await _backend.DisposeAsync();
    }

    [Fact]
    public async Task A_write_to_a_service_that_takes_no_connection_is_told_nothing_reached_it_and_sending_it_again_is_safe()
    {
        var client = _edge.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", GatewayFactory.OperatorKey);

        var response = await client.PostAsync("/api/logistics/vehicles", new StringContent("{}"));

        var problem = await EdgeAssert.Problem(response, HttpStatusCode.GatewayTimeout);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("The logistics service could not be reached", detail);
        Assert.Contains("nothing reached it", detail);
        // It was told the service had 90 s to answer and may have applied the write.
        Assert.DoesNotContain("did not answer within", detail);
        Assert.DoesNotContain("may have been applied", detail);
    }

    /// <summary>YARP's own client factory, with a connection attempt given 1 s instead of 15.</summary>
    private sealed class QuickConnect : ForwarderHttpClientFactory
    {
        protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
        {
            base.ConfigureHandler(context, handler);
            handler.ConnectTimeout = TimeSpan.FromSeconds(1);
        }
    }
}

/// <summary>A loopback port whose connection attempts are never answered, as a host that is down or behind a firewall
/// dropping them: it listens with the smallest backlog and never accepts, and once connections fill that backlog Linux
/// drops the next ones' SYNs, so they wait until their client gives up.</summary>
internal sealed class UnansweredConnects : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<TcpClient> _fillers = [];

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public static async Task<UnansweredConnects> StartAsync()
    {
        var port = new UnansweredConnects();
        port._listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port._listener.Listen(0);
        // Fill the backlog until a connection attempt goes unanswered.
        for (var i = 0; i < 16; i++)
        {
            var filler = new TcpClient();
            port._fillers.Add(filler);
            var connect = filler.ConnectAsync(IPAddress.Loopback, port.Port);
            if (await Task.WhenAny(connect, Task.Delay(TimeSpan.FromMilliseconds(300))) != connect) return port;
        }
        port.Dispose();
        throw new InvalidOperationException("Every connection to the listener was answered; its backlog never filled.");
    }

    public void Dispose()
    {
        foreach (var filler in _fillers) filler.Dispose();
        _listener.Dispose();
    }
}
