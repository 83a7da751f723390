using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Tests;

/// <summary>What <c>Endpoints:Rest</c> and <c>Endpoints:Grpc</c> take (ServiceDefaults.UseTradeNetEndpoints).</summary>
public sealed class ListenAddressTests
{
    /// <summary>ASP.NET's spellings for every interface: the code meant to take them, but <see cref="Uri"/> refused them
    /// first and the start ended in "Invalid URI: The hostname could not be parsed." with a stack dump.</summary>
    [Theory]
    [InlineData("*", 7611)]
    [InlineData("+", 7612)]
    public async Task A_wildcard_host_listens_on_every_interface(string host, int port)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Endpoints:Rest"] = $"http://{host}:{port}";
        builder.UseTradeNetEndpoints("http://127.0.0.1:7610", null);
        await using var app = builder.Build();
        app.MapGet("/", () => "listening");
        await app.StartAsync();
        try
        {
            using var client = new HttpClient();
            Assert.Equal("listening", await client.GetStringAsync($"http://127.0.0.1:{port}/"));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>A host name (other than localhost) ended the start with "An invalid IP address was specified." and a stack
    /// dump; an https:// address would have listened in cleartext. Both are refused settings now: exit 2 and one line.</summary>
    [Theory]
    [InlineData("Endpoints:Rest", "http://catalog:7613", "'catalog' is a host name")]
    [InlineData("Endpoints:Rest", "https://127.0.0.1:7614", "not an http:// address")]
    [InlineData("Endpoints:Grpc", "http://catalog-grpc:7615", "'catalog-grpc' is a host name")]
    public void An_address_that_cannot_be_listened_on_stops_the_start_naming_the_setting(string setting, string url, string why)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration[setting] = url;

        var refused = Assert.Throws<OptionsValidationException>(() => builder.UseTradeNetEndpoints("http://127.0.0.1:7616", "http://127.0.0.1:7617"));

        var reason = StartFailures.Reason(refused);
        Assert.NotNull(reason);
        Assert.StartsWith($"TradeNet cannot start: {setting} '{url}' cannot be listened on: ", reason);
        Assert.Contains(why, reason);
    }

    /// <summary>A host's own address (the standalone host's edge and services URLs) is also called and proxied to: a
    /// wildcard there is refused at start, as it was (then with "Invalid URI" and a stack dump), not listened on.</summary>
    [Fact]
    public void A_wildcard_in_a_hosts_own_address_is_refused_naming_it()
    {
        var builder = WebApplication.CreateBuilder();

        var refused = Assert.Throws<OptionsValidationException>(() => builder.UseTradeNetEndpoints("http://*:7619", null));

        Assert.StartsWith("TradeNet cannot start: The REST address 'http://*:7619' cannot be listened on: ", StartFailures.Reason(refused));
    }

    [Theory]
    [InlineData("http://127.0.0.1:7618", "127.0.0.1", false)]
    [InlineData("http://0.0.0.0:7618", "0.0.0.0", false)]
    [InlineData("http://[::1]:7618", "::1", false)]
    [InlineData("http://localhost:7618", "127.0.0.1", true)]
    [InlineData("http://*:7618/", "0.0.0.0", false)]
    public void The_addresses_taken_before_are_read_as_before(string url, string ip, bool localhost)
    {
        var at = ListenAddresses.Parse("Endpoints:Rest", url);

        Assert.Equal((IPAddress.Parse(ip), 7618, localhost), (at.Ip, at.Port, at.Localhost));
    }
}
