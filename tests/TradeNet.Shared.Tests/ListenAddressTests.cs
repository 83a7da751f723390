using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Tests;

/// <summary>The addresses a host listens on (Endpoints:Rest, Endpoints:Grpc, the standalone host's Standalone:EdgeUrl…), in
/// the forms ASP.NET takes, and what they refuse. Port 0: the system picks a free port for this process alone.</summary>
public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("http://*:0")]
    [InlineData("http://+:0")]
    [InlineData("http://0.0.0.0:0")]
    public async Task An_address_on_every_interface_in_any_of_aspnets_forms_is_listened_on_and_answers_on_the_loopback(string url)
    {
        var builder = WebApplication.CreateBuilder();
        builder.UseTradeNetEndpoints(url, null);
        await using var app = builder.Build();
        app.MapGet("/", () => "up");

        await app.StartAsync();
        var listening = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var port = new Uri(Assert.Single(listening)).Port;
        using var http = new HttpClient();
        var answer = await http.GetAsync($"http://127.0.0.1:{port}/");
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("up", await answer.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("http://*:5000", "http://0.0.0.0:5000")]
    [InlineData("http://+:5000/", "http://0.0.0.0:5000/")]
    [InlineData("http://*", "http://0.0.0.0")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000", "http://localhost:5000")]
    [InlineData("http://[::]:5000", "http://[::]:5000")]
    public void Only_a_star_or_plus_host_is_read_as_every_address(string url, string read) =>
        Assert.Equal(read, ServiceDefaults.AnyHostAsZeros(url));

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
