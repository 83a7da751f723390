using System.Text.Json;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>One route and method as a service's OpenAPI document describes it: its parameters and, where it takes one,
/// its JSON body's schema (resolved from <c>components</c>).</summary>
public sealed record ApiRoute(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, JsonElement? Body, bool BodyRequired,
    string? BodySchemaName, JsonElement Schemas)
{
    public string Name => $"{Method} {Path}";

    public bool Writes => Method != "GET";

    public IEnumerable<ApiParameter> In(string where) => Parameters.Where(p => p.In == where);

    /// <summary>The entity an id parameter names: the path segment before it (<c>/trades/{id}</c> → trades), or what a
    /// <c>{tradeId}</c> says.</summary>
    public string EntityOf(string parameter)
    {
        if (parameter.EndsWith("Id", StringComparison.Ordinal)) return parameter[..^2] + "s";
        var segments = Path.Split('/');
        var at = Array.IndexOf(segments, "{" + parameter + "}");
        return at > 0 ? segments[at - 1] : parameter;
    }

    /// <summary>A schema with its <c>$ref</c> (or a nullable <c>oneOf</c> of one) followed.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
            return Schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        if (schema.TryGetProperty("oneOf", out var oneOf))
            foreach (var option in oneOf.EnumerateArray())
                if (option.TryGetProperty("$ref", out _)) return Resolve(option);
        return schema;
    }

    /// <summary>Every route of the three services, read from their documents through the gateway.</summary>
    public static async Task<IReadOnlyList<ApiRoute>> ReadAllAsync(Uri gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        var routes = new List<ApiRoute>();
        foreach (var service in new[] { "catalog", "matching", "logistics" })
        {
            var document = await ApiDocument.FetchAsync(http, service);
            var schemas = document.Root.GetProperty("components").GetProperty("schemas");
            foreach (var (method, path, operation) in document.Operations())
            {
                var parameters = operation.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(p => new ApiParameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
                        p.TryGetProperty("schema", out var s) ? s : default, p.TryGetProperty("required", out var r) && r.GetBoolean())).ToList()
                    : [];
                JsonElement? body = null;
                string? schemaName = null;
                var required = false;
                if (operation.TryGetProperty("requestBody", out var requestBody))
                {
                    var schema = requestBody.GetProperty("content").GetProperty("application/json").GetProperty("schema");
                    if (schema.TryGetProperty("$ref", out var reference)) schemaName = reference.GetString()!.Split('/')[^1];
                    body = schemaName is null ? schema : schemas.GetProperty(schemaName);
                    required = requestBody.TryGetProperty("required", out var r) && r.GetBoolean();
                }
                routes.Add(new ApiRoute(method, path, parameters, body, required, schemaName, schemas));
            }
        }
        return routes;
    }
}

public sealed record ApiParameter(string Name, string In, JsonElement Schema, bool Required);
