using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Shared.Auth;

namespace TradeNet.Shared.Grpc;

public static class GrpcClientExtensions
{
    /// <summary>Registers a gRPC client whose address comes from <c>Services:{name}:Grpc</c>, with a deadline
    /// and a service token on every call.</summary>
    public static IHttpClientBuilder AddTradeNetGrpcClient<TClient>(this IServiceCollection services, string name,
        string defaultAddress, string callerService, TimeSpan? deadline = null) where TClient : class =>
        services.AddGrpcClient<TClient>((sp, o) =>
            {
                var configured = sp.GetRequiredService<IConfiguration>()[$"Services:{name}:Grpc"];
                o.Address = new Uri(string.IsNullOrWhiteSpace(configured) ? defaultAddress : configured);
            })
            .AddInterceptor(InterceptorScope.Client, sp =>
            {
                var issuer = sp.GetRequiredService<InternalTokenIssuer>();
                return new ServiceCallInterceptor(deadline ?? TimeSpan.FromSeconds(5),
                    () => issuer.Issue(callerService, Roles.Service, callerService));
            });
}
