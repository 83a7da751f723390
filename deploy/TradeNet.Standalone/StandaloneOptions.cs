using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TradeNet.Shared.Hosting;

namespace TradeNet.Standalone;

/// <summary>Section "Standalone": where the edge and the in-process services listen, and whether to seed demo data.
/// <see cref="OperatorKey"/> is null when the operators' keys are configured at other indexes only: the host then adds none.</summary>
public sealed record StandaloneOptions(string EdgeUrl, string ServicesUrl, string GrpcUrl, bool Seed, string DataDir,
    string TokenKey, string OperatorName, string? OperatorKey, bool OperatorKeyGenerated)
{
    public static StandaloneOptions From(IConfiguration config)
    {
        var operatorKey = config["Gateway:Operators:0:Key"];
        // A key at another index only (entry 0 removed once its key leaked, docs/operations.md): the operators are configured,
        // and a key generated at 0 beside it was a second operator key nobody had asked for.
        var othersConfigured = config.GetSection("Gateway:Operators").GetChildren().Any(entry => entry["Key"] is not null);
        var generate = operatorKey is null && !othersConfigured;
        return new StandaloneOptions(
            Address(config, "Standalone:EdgeUrl", "http://127.0.0.1:5000"),
            Address(config, "Standalone:ServicesUrl", "http://127.0.0.1:5090"),
            Address(config, "Standalone:GrpcUrl", "http://127.0.0.1:5091"),
            SeedFrom(config),
            config["Storage:DataDir"] ?? "data",
            // A fresh secret per run: the token never leaves this process.
            config["Auth:InternalTokenKey"] ?? Secret(),
            config["Gateway:Operators:0:Name"] ?? "operator",
            generate ? "op_" + Secret() : operatorKey,
            generate);
    }

    /// <summary>One of the host's addresses, checked here: each is handed to an in-process app as Endpoints:Rest or
    /// Endpoints:Grpc, so one that cannot be listened on (a host name, https) was refused naming those, settings this host
    /// ignores, and the edge's only once the services had started.</summary>
    private static string Address(IConfiguration config, string setting, string fallback)
    {
        var url = config[setting] ?? fallback;
        ListenAddresses.Check(setting, url);
        return url;
    }

    /// <summary><c>Standalone:Seed</c>, true unless set to false. Any other value (<c>no</c>, <c>0</c>) is refused at start (exit 2,
    /// naming it): it was read as true, and the host seeded the demo towns into a network meant to start empty, for good.</summary>
    public static bool SeedFrom(IConfiguration config)
    {
        if (config["Standalone:Seed"] is not { } text || string.IsNullOrWhiteSpace(text)) return true;
        return bool.TryParse(text, out var seed) ? seed
            : throw new OptionsValidationException("Standalone:Seed", typeof(StandaloneOptions),
                [$"Standalone:Seed is '{text}': use true or false (true unless set)."]);
    }

    /// <summary>The edge as a client on this machine calls it (the demo seed, the printed URLs).</summary>
    public Uri EdgeClientUrl => ClientUrl(EdgeUrl);

    /// <summary>A listening address as a client on this machine calls it: one on every address (<c>http://*:5000</c>, <c>+</c>,
    /// <c>0.0.0.0</c>, <c>[::]</c>) on the loopback address. The demo seed, the edge's routes and the gRPC clients took the
    /// listening address as their own, and <c>*</c> is no host a client can parse: the host aborted at start (134).</summary>
    public static Uri ClientUrl(string listenUrl)
    {
        var url = new UriBuilder(ServiceDefaults.AnyHostAsZeros(listenUrl));
        if (url.Host is "0.0.0.0") url.Host = "127.0.0.1";
        else if (url.Host is "[::]") url.Host = "[::1]";
        return url.Uri;
    }

    /// <summary>Where one of the two in-process apps listens, over any <c>Endpoints:Rest</c> or <c>Endpoints:Grpc</c> the
    /// environment holds (a service's own settings, left exported in the shell): read by both apps, they bound both to the
    /// same address, and the host stopped saying another process listened there, while the edge's routes and the gRPC
    /// clients called the Standalone: addresses.</summary>
    public static Dictionary<string, string?> Listen(string rest, string? grpc) => new()
    {
        ["Endpoints:Rest"] = rest,
        ["Endpoints:Grpc"] = grpc ?? "",
    };

    /// <summary>What both in-process apps must agree on.</summary>
    public Dictionary<string, string?> SharedSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:InternalTokenKey"] = TokenKey,
            ["Storage:DataDir"] = DataDir,
            ["Services:Catalog:Grpc"] = Authority(GrpcUrl),
            ["Services:Logistics:Grpc"] = Authority(GrpcUrl),
            ["ReverseProxy:Clusters:catalog:Destinations:d1:Address"] = Authority(ServicesUrl),
            ["ReverseProxy:Clusters:matching:Destinations:d1:Address"] = Authority(ServicesUrl),
            ["ReverseProxy:Clusters:logistics:Destinations:d1:Address"] = Authority(ServicesUrl),
        };
        if (OperatorKey is not null)
        {
            settings["Gateway:Operators:0:Name"] = OperatorName;
            settings["Gateway:Operators:0:Key"] = OperatorKey;
        }
        return settings;
    }

    private static string Authority(string listenUrl) => ClientUrl(listenUrl).GetLeftPart(UriPartial.Authority);

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
