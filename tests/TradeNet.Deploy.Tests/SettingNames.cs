using System.Collections;
using System.Reflection;
using System.Text.Json;
using TradeNet.Catalog;
using TradeNet.Gateway;
using TradeNet.Logistics;
using TradeNet.Matching;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Messaging;
using TradeNet.Shared.Storage;

namespace TradeNet.Deploy.Tests;

/// <summary>Whether an environment variable a deployment sets is one the code reads: a misspelt setting is silently
/// ignored by .NET configuration, so a typo in a manifest would run TradeNet on its defaults (SQLite in a pod).</summary>
internal static class SettingNames
{
    private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        [InternalTokenOptions.Section] = typeof(InternalTokenOptions),
        [StorageOptions.Section] = typeof(StorageOptions),
        [RabbitMqOptions.Section] = typeof(RabbitMqOptions),
        [CatalogOptions.Section] = typeof(CatalogOptions),
        [MatchingOptions.Section] = typeof(MatchingOptions),
        [LogisticsOptions.Section] = typeof(LogisticsOptions),
        [GatewayOptions.Section] = typeof(GatewayOptions),
    };

    /// <summary>The sections bound to an options type (the names a setting of them starts with).</summary>
    public static IEnumerable<string> SectionNames => Sections.Keys;

    // Read by name rather than through an options type: ServiceDefaults.UseTradeNetEndpoints and AddTradeNetGrpcClient.
    private static readonly string[] NamedSettings =
        ["Endpoints__Rest", "Endpoints__Grpc", "Services__Catalog__Grpc", "Services__Logistics__Grpc"];

    // Read by the framework and OpenTelemetry.
    private static readonly string[] FrameworkPrefixes = ["ASPNETCORE_", "DOTNET_", "OTEL_"];

    private static readonly Lazy<HashSet<string>> GatewayClusters = new(() =>
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Yaml.RepoRoot, "gateway", "TradeNet.Gateway", GatewayEdgeExtensions.ConfigFile)));
        return json.RootElement.GetProperty("ReverseProxy").GetProperty("Clusters").EnumerateObject().Select(c => c.Name).ToHashSet();
    });

    /// <summary>The clusters of the gateway's YARP routes (gateway.json), each of which a deployment must point somewhere.</summary>
    public static IReadOnlySet<string> GatewayClusterNames => GatewayClusters.Value;

    /// <summary>Null when the name binds to a setting; otherwise why not.</summary>
    public static string? Problem(string name)
    {
        if (FrameworkPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || NamedSettings.Contains(name)) return null;
        var parts = name.Split("__");
        if (parts is ["ReverseProxy", "Clusters", var cluster, "Destinations", _, "Address"])
            return GatewayClusters.Value.Contains(cluster) ? null : $"no cluster '{cluster}' in gateway.json";
        if (!Sections.TryGetValue(parts[0], out var type)) return $"no settings section '{parts[0]}'";
        foreach (var part in parts.Skip(1))
        {
            if (ElementType(type) is { } element)
            {
                if (!int.TryParse(part, out _)) return $"'{part}' should be an index into {type.Name}";
                type = element;
                continue;
            }
            var property = type.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is not { CanWrite: true }) return $"{type.Name} has no settable '{part}'";
            type = property.PropertyType;
        }
        return IsValue(type) ? null : $"'{name}' names a section ({type.Name}), not a value";
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;

    private static bool IsValue(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(Uri);
    }
}
