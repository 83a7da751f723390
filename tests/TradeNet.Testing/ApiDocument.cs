using System.Net;
using System.Text;
using System.Text.Json;
using TradeNet.Shared.Hosting;
using Xunit;

namespace TradeNet.Testing;

/// <summary>A service's OpenAPI document as a client or viewer reads it: the JSON served, not the generator's objects.</summary>
public sealed class ApiDocument(JsonElement root)
{
    public JsonElement Root { get; } = root;

    public static async Task<ApiDocument> FetchAsync(HttpClient http, string service)
    {
        using var response = await http.GetAsync(ApiDocs.Path(service));
        response.EnsureSuccessStatusCode();
        return new ApiDocument(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Every operation: method (upper case), path template, and the operation object.</summary>
    public IEnumerable<(string Method, string Path, JsonElement Operation)> Operations() =>
        from path in Root.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        select (operation.Name.ToUpperInvariant(), path.Name, operation.Value);

    public JsonElement Operation(string method, string path) =>
        Root.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant());

    public int[] Statuses(string method, string path) =>
        Operation(method, path).GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name)).Order().ToArray();

    /// <summary>The route lists exactly these statuses, and each problem status (4xx, 5xx) as ProblemDetails.</summary>
    public void AssertStatuses(string method, string path, int[] statuses)
    {
        Assert.Equal(statuses, Statuses(method, path));
        foreach (var problem in statuses.Where(s => s >= 400))
            Assert.Equal(["application/problem+json"], ContentTypes(method, path, problem));
    }

    /// <summary>The media types an answer of this status comes in.</summary>
    public string[] ContentTypes(string method, string path, int status) =>
        Operation(method, path).GetProperty("responses").GetProperty(status.ToString()).TryGetProperty("content", out var content)
            ? content.EnumerateObject().Select(c => c.Name).ToArray()
            : [];

    /// <summary>The security schemes an operation asks for (none: anonymous).</summary>
    public string[] Security(string method, string path) =>
        Operation(method, path).TryGetProperty("security", out var security)
            ? security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name)).ToArray()
            : [];

    public JsonElement SecurityScheme(string id) =>
        Root.GetProperty("components").GetProperty("securitySchemes").GetProperty(id);

    public JsonElement Schema(string name) => Root.GetProperty("components").GetProperty("schemas").GetProperty(name);

    public string[] Required(string schema) =>
        Schema(schema).TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).ToArray() : [];

    /// <summary>The schema requires exactly these fields, each typed without null, and types every other one with null:
    /// left out and null bind alike, so a required field takes no null and an optional one may be sent as null.</summary>
    public void AssertRequiresExactly(string schema, string[] required)
    {
        Assert.Equal(required.Order(), Required(schema).Order());
        foreach (var property in Properties(schema))
            Assert.Equal(!required.Contains(property), PropertyTypes(schema, property).Contains("null"));
    }

    /// <summary>A request of only the fields <paramref name="schema"/> requires succeeds (<paramref name="created"/>), and
    /// one without any one of them is a 400 naming it: the document's <c>required</c> is what validation requires.</summary>
    /// <param name="full">A valid request with every field the schema has.</param>
    public async Task AssertRequiredIsWhatValidationRequiresAsync(string schema, Dictionary<string, object?> full,
        Func<Dictionary<string, object?>, Task<HttpResponseMessage>> send, HttpStatusCode created = HttpStatusCode.Created)
    {
        var required = Required(schema);
        using var minimal = await send(full.Where(f => required.Contains(f.Key)).ToDictionary());
        Assert.Equal(created, minimal.StatusCode);
        foreach (var field in required)
        {
            using var without = await send(full.Where(f => f.Key != field).ToDictionary());
            Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
            var errors = JsonDocument.Parse(await without.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
            Assert.Contains(field, errors.EnumerateObject().Select(e => e.Name));
        }
    }

    /// <summary>Every route that takes a JSON body says it is required and names its request schema (a reference, not
    /// "null or the request"): the routes' handlers refuse a missing body with a 400.</summary>
    /// <param name="optional">The routes ("POST /path") whose body only some callers send: documented as not required.</param>
    public void AssertEveryBodyRequired(params string[] optional)
    {
        var bodies = Operations().Where(o => o.Operation.TryGetProperty("requestBody", out _)).ToList();
        Assert.NotEmpty(bodies);
        Assert.All(bodies, o =>
        {
            var body = o.Operation.GetProperty("requestBody");
            var isRequired = body.TryGetProperty("required", out var required) && required.GetBoolean();
            Assert.True(isRequired != optional.Contains($"{o.Method} {o.Path}", StringComparer.OrdinalIgnoreCase),
                $"{o.Method} {o.Path}: body {(isRequired ? "" : "not ")}required");
            var schema = body.GetProperty("content").GetProperty("application/json").GetProperty("schema");
            Assert.True(schema.TryGetProperty("$ref", out _), $"{o.Method} {o.Path}: body schema is {schema}");
        });
    }

    public string[] Properties(string schema) =>
        Schema(schema).GetProperty("properties").EnumerateObject().Select(p => p.Name).ToArray();

    /// <summary>A schema's <c>type</c> as a set: a single name or the 3.1 list (["null","number"]); empty when absent. An
    /// object that may be null is a <c>oneOf</c> of null and its reference: its set is the members' types (["null"]).</summary>
    public static string[] Types(JsonElement schema) =>
        schema.TryGetProperty("type", out var type)
            ? type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).Order().ToArray() : [type.GetString()!]
        : schema.TryGetProperty("oneOf", out var oneOf) ? oneOf.EnumerateArray().SelectMany(Types).Distinct().Order().ToArray()
        : [];

    public string[] PropertyTypes(string schema, string property) =>
        Types(Schema(schema).GetProperty("properties").GetProperty(property));

    /// <summary>Every schema node with a numeric <c>format</c> (double, float, int32, …) whose <c>type</c> does not say
    /// number or integer, as JSON paths; a viewer would let any value through them.</summary>
    public List<string> NumbersWithoutType()
    {
        var found = new List<string>();
        Walk(Root, "$");
        return found;

        void Walk(JsonElement node, string path)
        {
            if (node.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in node.EnumerateArray()) Walk(item, $"{path}[{i++}]");
                return;
            }
            if (node.ValueKind != JsonValueKind.Object) return;
            if (node.TryGetProperty("format", out var format) && Expected(format.GetString()) is { } expected
                && !Types(node).Contains(expected))
                found.Add($"{path} ({format.GetString()}, type [{string.Join(",", Types(node))}])");
            foreach (var child in node.EnumerateObject()) Walk(child.Value, $"{path}.{child.Name}");
        }

        static string? Expected(string? format) => format switch
        {
            "double" or "float" or "decimal" => "number",
            "int32" or "int64" or "int16" or "uint8" or "int8" => "integer",
            _ => null,
        };
    }

    /// <summary>Calls every operation without credentials (path parameters filled in, <c>{}</c> as the body where it takes
    /// one) and lists where the answer disagrees with the document: 401 exactly where it asks for the API key, and 401
    /// listed among its answers there.</summary>
    public async Task<List<string>> KeyDisagreementsAsync(HttpClient anonymous)
    {
        var disagreements = new List<string>();
        foreach (var (method, path, operation) in Operations())
        {
            var asks = Security(method, path).Contains(ApiKeyScheme);
            using var request = new HttpRequestMessage(new HttpMethod(method), FillIn(path));
            if (operation.TryGetProperty("requestBody", out _)) request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var response = await anonymous.SendAsync(request);
            var refused = response.StatusCode == HttpStatusCode.Unauthorized;
            if (asks != refused)
                disagreements.Add($"{method} {path}: the document {(asks ? "asks" : "does not ask")} for a key, the service answered {(int)response.StatusCode} without one");
            if (asks && !Statuses(method, path).Contains(401)) disagreements.Add($"{method} {path}: asks for a key but lists no 401");
        }
        return disagreements;
    }

    public const string ApiKeyScheme = "ApiKey";

    // Any segment will do: a route that needs a key is refused before its handler reads the path.
    private static string FillIn(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+\\}", Guid.Empty.ToString());
}
