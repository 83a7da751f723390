using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts.Grpc;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Grpc;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests.Grpc;

/// <summary><see cref="GrpcClientExtensions.AddTradeNetGrpcClient{TClient}"/> against real Kestrel servers: an
/// http:// address calls its one server, a resolver address spreads the calls over every server it resolves to.</summary>
public sealed class GrpcBalancingTests
{
    [Fact]
    public async Task A_resolver_address_sends_calls_to_every_server_in_turn()
    {
        await using var a = await CatalogServer.StartAsync("a");
        await using var b = await CatalogServer.StartAsync("b");
        // Two servers behind one name, as a headless Service's DNS answer would give; registered as production
        // registers its DNS resolver, so only the scheme differs from a dns:/// address.
        var resolver = new StaticResolverFactory(_ => [new BalancerAddress("127.0.0.1", a.Port), new BalancerAddress("127.0.0.1", b.Port)]);
        await using var client = Client("static:///catalog", s => s.AddSingleton<ResolverFactory>(resolver));

        var servers = new List<string>();
        for (var i = 0; i < 40; i++) servers.Add(await ServerOf(client));

        // pick_first (gRPC's default) would send all 40 to one server.
        Assert.InRange(servers.Count(s => s == "a"), 10, 30);
        Assert.InRange(servers.Count(s => s == "b"), 10, 30);
        AssertEveryCallCarriedTheTokenAndADeadline(a, b);
    }

    [Fact]
    public async Task A_dns_address_reaches_the_server_it_resolves_to_with_the_service_token_and_a_deadline()
    {
        await using var server = await CatalogServer.StartAsync("only");
        await using var client = Client($"dns:///localhost:{server.Port}");

        Assert.Equal("only", await ServerOf(client));
        Assert.Equal("only", await ServerOf(client));
        AssertEveryCallCarriedTheTokenAndADeadline(server);
    }

    [Fact]
    public async Task An_http_address_calls_its_one_server_as_before()
    {
        await using var server = await CatalogServer.StartAsync("only");
        await using var client = Client($"http://127.0.0.1:{server.Port}");

        Assert.Equal("only", await ServerOf(client));
        AssertEveryCallCarriedTheTokenAndADeadline(server);
    }

    [Fact]
    public async Task A_call_whose_write_lost_every_retry_to_another_writer_is_Aborted_so_callers_try_again()
    {
        await using var server = await CatalogServer.StartAsync(NamedCatalog.LosesEveryRace);
        await using var client = Client($"http://127.0.0.1:{server.Port}");

        var failure = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => ServerOf(client));

        Assert.Equal(global::Grpc.Core.StatusCode.Aborted, failure.StatusCode);
        Assert.DoesNotContain("row 7", failure.Status.Detail);
    }

    [Fact]
    public void Only_an_address_whose_scheme_names_a_resolver_is_balanced()
    {
        Assert.True(GrpcClientExtensions.IsBalanced(new Uri("dns:///catalog-grpc:5102")));
        Assert.True(GrpcClientExtensions.IsBalanced(new Uri("static:///catalog")));
        Assert.False(GrpcClientExtensions.IsBalanced(new Uri("http://catalog:5102")));
        Assert.False(GrpcClientExtensions.IsBalanced(new Uri("https://catalog:5102")));
    }

    [Fact]
    public void Two_clients_share_one_dns_resolver_of_their_own()
    {
        var services = new ServiceCollection();
        services.AddTradeNetGrpcClient<Catalog.CatalogClient>("Catalog", "http://127.0.0.1:5102", "matching");
        services.AddTradeNetGrpcClient<Logistics.LogisticsClient>("Logistics", "http://127.0.0.1:5302", "matching");

        Assert.IsType<DnsResolverFactory>(Assert.Single(services, d => d.ServiceType == typeof(ResolverFactory)).ImplementationInstance);
    }

    private static ServiceProvider Client(string address, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:InternalTokenKey"] = TestSettings.TokenKey,
            ["Services:Catalog:Grpc"] = address,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOptions<InternalTokenOptions>().Bind(configuration.GetSection(InternalTokenOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<InternalTokenIssuer>();
        configure?.Invoke(services);
        services.AddTradeNetGrpcClient<Catalog.CatalogClient>("Catalog", "http://127.0.0.1:1", "matching");
        return services.BuildServiceProvider();
    }

    private static async Task<string> ServerOf(IServiceProvider client) =>
        (await client.GetRequiredService<Catalog.CatalogClient>().GetTownsAsync(new GetTownsRequest())).Towns.Single().Id;

    /// <summary>The servers only answer a valid service token (policy <c>service</c>), so an answer already proves it;
    /// the subject and the deadline say it was matching's, with the client's default 5 s.</summary>
    private static void AssertEveryCallCarriedTheTokenAndADeadline(params CatalogServer[] servers)
    {
        var now = DateTime.UtcNow;
        foreach (var (caller, deadline) in servers.SelectMany(s => s.Catalog.Calls))
        {
            Assert.Equal("matching", caller);
            Assert.InRange(deadline, now - TimeSpan.FromSeconds(30), now + TimeSpan.FromSeconds(6));
        }
    }
}
