using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Options;

namespace TradeNet.Shared.Grpc;

/// <summary>A client's configured address (<c>Services:{name}:Grpc</c>), as named options so the host checks it at start.</summary>
internal sealed class GrpcAddressSetting
{
    public string? Configured { get; set; }
}

/// <summary>Refuses at start an address the client could never call: read only when the client was first made, one that
/// was none let the host start and then threw Uri's format error at every call site (the gateway's revoked-key poll every
/// 2 s; in matching, outside the gRPC errors it handles). Taken: http(s), or a scheme a registered resolver serves
/// (<c>dns:///</c>; <c>static:///</c> in tests). Unset is the client's default address.</summary>
internal sealed class GrpcAddressCheck(IEnumerable<ResolverFactory> resolvers) : IValidateOptions<GrpcAddressSetting>
{
    public ValidateOptionsResult Validate(string? name, GrpcAddressSetting options)
    {
        var text = options.Configured;
        if (string.IsNullOrWhiteSpace(text)) return ValidateOptionsResult.Success;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || resolvers.Any(r => r.Name == uri.Scheme)))
            return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail($"Services:{name}:Grpc '{text}' is not an address (http://host:port, or dns:///host:port to "
            + "spread calls over every address the name resolves to).");
    }
}
