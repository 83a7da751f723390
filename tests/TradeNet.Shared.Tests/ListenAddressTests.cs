using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Tests;

/// <summary>The addresses a host listens on (Endpoints:Rest, Endpoints:Grpc, the standalone host's Standalone:EdgeUrl…), in
/// the forms ASP.NET takes. Port 0: the system picks a free port for this process alone.</summary>
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
}
