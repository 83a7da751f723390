using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
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

    [Theory]
    [InlineData("54OO")]
    [InlineData("70000")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("5400.0")]
    public void A_gateway_port_that_is_no_port_is_refused_naming_the_setting_not_taken_for_5000(string value)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("TradeNet:GatewayPort", (string?)value)]).Build();

        var refused = Assert.Throws<ArgumentException>(() => AppHostSettings.From(config));

        Assert.Contains("TradeNet:GatewayPort", refused.Message);
        Assert.Contains($"'{value}'", refused.Message);
    }

    [Theory]
    [InlineData(null, 5000)]
    [InlineData("7340", 7340)]
    public void A_gateway_port_unset_is_5000_and_a_port_number_is_taken(string? value, int port)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("TradeNet:GatewayPort", value)]).Build();

        Assert.Equal(port, AppHostSettings.From(config).GatewayPort);
    }
}
