using Microsoft.Extensions.Configuration;
using TradeNet.Standalone;

namespace TradeNet.Deploy.Tests;

/// <summary>The standalone host moved onto every interface (<c>Standalone__EdgeUrl=http://*:5000</c>, as ASP.NET writes it):
/// its own parts (the demo seed, the edge's routes to the services, the gRPC clients) call it on the loopback address. They
/// took the listening address as theirs, and a host of <c>*</c> or <c>+</c> is no address a client can parse: the host aborted
/// at start with a UriFormatException (134).</summary>
public sealed class StandaloneAddressTests
{
    [Theory]
    [InlineData("http://*:7310", "http://127.0.0.1:7310/")]
    [InlineData("http://+:7310", "http://127.0.0.1:7310/")]
    [InlineData("http://0.0.0.0:7310", "http://127.0.0.1:7310/")]
    [InlineData("http://[::]:7310", "http://[::1]:7310/")]
    [InlineData("http://127.0.0.1:7310", "http://127.0.0.1:7310/")]
    [InlineData("http://localhost:7310", "http://localhost:7310/")]
    public void The_edge_listening_on_every_interface_is_called_on_the_loopback(string listen, string called)
    {
        var options = StandaloneOptions.From(Config(("Standalone:EdgeUrl", listen)));

        Assert.Equal(called, options.EdgeClientUrl.ToString());
    }

    [Fact]
    public void The_services_listening_on_every_interface_are_routed_to_and_called_over_grpc_on_the_loopback()
    {
        var settings = StandaloneOptions.From(Config(("Standalone:ServicesUrl", "http://*:7311"), ("Standalone:GrpcUrl", "http://+:7312")))
            .SharedSettings();

        foreach (var cluster in new[] { "catalog", "matching", "logistics" })
            Assert.Equal("http://127.0.0.1:7311", settings[$"ReverseProxy:Clusters:{cluster}:Destinations:d1:Address"]);
        Assert.Equal("http://127.0.0.1:7312", settings["Services:Catalog:Grpc"]);
        Assert.Equal("http://127.0.0.1:7312", settings["Services:Logistics:Grpc"]);
    }

    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
