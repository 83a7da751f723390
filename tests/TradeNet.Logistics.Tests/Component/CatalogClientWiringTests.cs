using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TradeNet.Logistics.Api;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>The real catalog client: read from <c>Services:Catalog:Grpc</c> and bounded by the check's deadline.</summary>
public sealed class CatalogClientWiringTests : IAsyncLifetime
{
    // Accepts connections and never says a word, as a hung catalog would.
    private readonly TcpListener _silentCatalog = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private int _connections;
    private LogisticsApp _app = null!;

    public Task InitializeAsync()
    {
        _silentCatalog.Start();
        _ = HoldConnectionsAsync();
        _app = new LogisticsApp
        {
            FakesCatalog = false,
            Settings = { ["Services:Catalog:Grpc"] = $"http://127.0.0.1:{((IPEndPoint)_silentCatalog.LocalEndpoint).Port}" },
        };
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_catalog_that_never_answers_is_given_up_on_at_the_deadline_with_a_503()
    {
        var (a, _, _) = Towns.Fresh();
        await _app.SendAsync(HttpMethod.Get, "/api/logistics/vehicles", TestSettings.OperatorAuth()); // host started
        var clock = Stopwatch.StartNew();

        var response = await _app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: a));

        await VehicleHomeTownTests.AssertUncheckedAsync(response);
        Assert.InRange(clock.Elapsed, HomeTownCheck.Deadline - TimeSpan.FromMilliseconds(100), HomeTownCheck.Deadline + TimeSpan.FromSeconds(5));
        Assert.True(Volatile.Read(ref _connections) > 0, "logistics dialled the address in Services:Catalog:Grpc");
    }

    private async Task HoldConnectionsAsync()
    {
        try
        {
            while (true)
            {
                var client = await _silentCatalog.AcceptTcpClientAsync();
                lock (_held) _held.Add(client);
                Interlocked.Increment(ref _connections);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { } // stopped
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        _silentCatalog.Stop();
        lock (_held) _held.ForEach(c => c.Dispose());
        return Task.CompletedTask;
    }
}
