using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TradeNet.Contracts.Grpc;
using TradeNet.Shared.Grpc;
using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Tests.Grpc;

/// <summary>A service's address of another (<c>Services:{name}:Grpc</c>), read only when its client is first made.</summary>
public sealed class GrpcAddressTests
{
    /// <summary>Read late, an address that was none (<c>Services__Catalog__Grpc=banana</c>) let the host start and then threw
    /// Uri's format error wherever the client was made: every revoked-key poll of the gateway (logged every 2 s, its API
    /// keys' checks failing), and in matching whatever asks catalog, outside the gRPC errors it handles (seen Dec 2026 on the
    /// gateway's own host).</summary>
    [Theory]
    [InlineData("banana", "Services:Catalog:Grpc 'banana' is not an address (http://host:port, or dns:///host:port to spread calls over every address the name resolves to).")]
    [InlineData("ftp://catalog:5102", "Services:Catalog:Grpc 'ftp://catalog:5102' is not an address (http://host:port, or dns:///host:port to spread calls over every address the name resolves to).")]
    public async Task An_address_of_another_service_that_is_none_ends_the_start_naming_the_setting(string address, string reason)
    {
        var failure = await Record.ExceptionAsync(() => StartAsync(address));

        Assert.Equal($"TradeNet cannot start: {reason}", StartFailures.Reason(failure));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5102")]
    [InlineData("https://catalog.internal:5102")]
    [InlineData("dns:///catalog-grpc:5102")]
    [InlineData(" ")] // unset: the default address
    public async Task An_http_or_resolver_address_starts(string address) => await StartAsync(address);

    private static async Task StartAsync(string address)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Services:Catalog:Grpc"] = address });
        builder.Services.AddTradeNetGrpcClient<Catalog.CatalogClient>("Catalog", "http://127.0.0.1:5102", "matching");
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
    }
}
