using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TradeNet.Shared.Auth;

namespace TradeNet.Shared.Grpc;

public static class GrpcClientExtensions
{
    /// <summary>How often a <c>dns:///</c> channel asks DNS again: without it, pods added by a scale-up would only
    /// get calls once a connection drops.</summary>
    public static readonly TimeSpan DnsRefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>Registers a gRPC client whose address comes from <c>Services:{name}:Grpc</c>, with a deadline
    /// and a service token on every call. An <c>http://</c> address is one connection to one server; an address whose
    /// scheme names a resolver (<c>dns:///catalog-grpc:5102</c>, a Kubernetes headless Service) spreads the calls
    /// round-robin over every address it resolves to, in cleartext HTTP/2 as <c>http://</c> does.</summary>
    public static IHttpClientBuilder AddTradeNetGrpcClient<TClient>(this IServiceCollection services, string name,
        string defaultAddress, string callerService, TimeSpan? deadline = null) where TClient : class
    {
        // The client factory hands each channel the app's services, where the channel looks for its resolver by
        // scheme; this one (rather than the built-in DNS resolver, which re-resolves only when a connection drops)
        // serves every client.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ResolverFactory>(new DnsResolverFactory(DnsRefreshInterval)));
        // Checked as the host starts, not when the client is first made (GrpcAddressCheck).
        services.AddOptions<GrpcAddressSetting>(name)
            .Configure<IConfiguration>((o, config) => o.Configured = config[$"Services:{name}:Grpc"]).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrpcAddressSetting>, GrpcAddressCheck>());
        return services.AddGrpcClient<TClient>((sp, o) => o.Address = Address(sp, name, defaultAddress))
            .ConfigureChannel((sp, channel) =>
            {
                if (!IsBalanced(Address(sp, name, defaultAddress))) return;
                // A resolver address carries no http/https to say whether to use TLS; inside the cluster it is h2c.
                channel.Credentials = ChannelCredentials.Insecure;
                // The default, pick_first, would send every call to the first pod that answers.
                channel.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
            })
            .AddInterceptor(InterceptorScope.Client, sp =>
            {
                var issuer = sp.GetRequiredService<InternalTokenIssuer>();
                return new ServiceCallInterceptor(deadline ?? TimeSpan.FromSeconds(5),
                    () => issuer.Issue(callerService, Roles.Service, callerService));
            });
    }

    /// <summary>Whether the address names a resolver (<c>dns</c>, or <c>static</c> in tests) rather than one server.</summary>
    public static bool IsBalanced(Uri address) => address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps;

    private static Uri Address(IServiceProvider sp, string name, string defaultAddress)
    {
        var configured = sp.GetRequiredService<IConfiguration>()[$"Services:{name}:Grpc"];
        return new Uri(string.IsNullOrWhiteSpace(configured) ? defaultAddress : configured);
    }
}
