using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts.Grpc;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests.Grpc;

/// <summary>A real Kestrel gRPC server on a free loopback port (HTTP/2 only, as a service's gRPC port is) whose
/// catalog answers <c>GetTowns</c> with the server's own name, behind the services' token check.</summary>
public sealed class CatalogServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CatalogServer(WebApplication app, NamedCatalog catalog)
    {
        _app = app;
        Catalog = catalog;
        Port = new Uri(app.Urls.Single()).Port;
    }

    public NamedCatalog Catalog { get; }

    public int Port { get; }

    public static async Task<CatalogServer> StartAsync(string name)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:InternalTokenKey"] = TestSettings.TokenKey });
        builder.AddServiceDefaults("test-catalog");
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var catalog = new NamedCatalog(name);
        builder.Services.AddSingleton(catalog);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGrpcService<NamedCatalog>().RequireAuthorization(Policies.Service);
        await app.StartAsync();
        return new CatalogServer(app, catalog);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Answers with its server's name and remembers whom each call was authenticated as and its deadline.</summary>
public sealed class NamedCatalog(string name) : Catalog.CatalogBase
{
    public ConcurrentQueue<(string? Caller, DateTime Deadline)> Calls { get; } = new();

    public override Task<GetTownsReply> GetTowns(GetTownsRequest request, ServerCallContext context)
    {
        Calls.Enqueue((context.GetHttpContext().User.FindFirst("sub")?.Value, context.Deadline));
        if (name == LosesEveryRace) throw new RaceLost("towns row 7 changed");
        return Task.FromResult(new GetTownsReply { Towns = { new TownInfo { Id = name } } });
    }

    /// <summary>A server of this name fails every call as a store does whose write lost every retry to another writer.</summary>
    public const string LosesEveryRace = "loses-every-race";

    private sealed class RaceLost(string message) : TradeNet.Shared.Storage.WriteConflictException(message);
}
