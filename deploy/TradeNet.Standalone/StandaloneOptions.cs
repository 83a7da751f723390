using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace TradeNet.Standalone;

/// <summary>Section "Standalone": where the edge and the in-process services listen, and whether to seed demo data.</summary>
public sealed record StandaloneOptions(string EdgeUrl, string ServicesUrl, string GrpcUrl, bool Seed, string DataDir,
    string TokenKey, string OperatorName, string OperatorKey, bool OperatorKeyGenerated)
{
    public static StandaloneOptions From(IConfiguration config)
    {
        var operatorKey = config["Gateway:Operators:0:Key"];
        return new StandaloneOptions(
            config["Standalone:EdgeUrl"] ?? "http://127.0.0.1:5000",
            config["Standalone:ServicesUrl"] ?? "http://127.0.0.1:5090",
            config["Standalone:GrpcUrl"] ?? "http://127.0.0.1:5091",
            !bool.TryParse(config["Standalone:Seed"], out var seed) || seed,
            config["Storage:DataDir"] ?? "data",
            // A fresh secret per run: the token never leaves this process.
            config["Auth:InternalTokenKey"] ?? Secret(),
            config["Gateway:Operators:0:Name"] ?? "operator",
            operatorKey ?? "op_" + Secret(),
            operatorKey is null);
    }

    /// <summary>What both in-process apps must agree on.</summary>
    public Dictionary<string, string?> SharedSettings() => new()
    {
        ["Auth:InternalTokenKey"] = TokenKey,
        ["Storage:DataDir"] = DataDir,
        ["Services:Catalog:Grpc"] = GrpcUrl,
        ["Services:Logistics:Grpc"] = GrpcUrl,
        ["Gateway:Operators:0:Name"] = OperatorName,
        ["Gateway:Operators:0:Key"] = OperatorKey,
        ["ReverseProxy:Clusters:catalog:Destinations:d1:Address"] = ServicesUrl,
        ["ReverseProxy:Clusters:matching:Destinations:d1:Address"] = ServicesUrl,
        ["ReverseProxy:Clusters:logistics:Destinations:d1:Address"] = ServicesUrl,
    };

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
