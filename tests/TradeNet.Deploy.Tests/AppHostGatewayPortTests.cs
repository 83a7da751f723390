using System.Net;
using System.Net.Sockets;
using TradeNet.AppHost;

namespace TradeNet.Deploy.Tests;

/// <summary>The app host's gateway port is fixed; one another process holds is refused at start, with the setting that
/// moves it, instead of the app host announcing a gateway that another process answers for.</summary>
public sealed class AppHostGatewayPortTests
{
    [Fact]
    public void A_gateway_port_another_process_listens_on_is_refused_naming_the_setting_that_moves_it()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;

        var refused = Assert.Throws<ArgumentException>(() => AppHostSettings.RefuseTakenGatewayPort(port));

        Assert.Contains($"http://127.0.0.1:{port}", refused.Message);
        Assert.Contains("address already in use", refused.Message);
        Assert.Contains("TradeNet:GatewayPort", refused.Message);
    }

    [Fact]
    public void A_free_gateway_port_is_taken_without_a_word()
    {
        var port = ListenPorts.Next();

        AppHostSettings.RefuseTakenGatewayPort(port);
    }
}
