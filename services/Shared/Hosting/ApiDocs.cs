using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace TradeNet.Shared.Hosting;

/// <summary>Where each service's OpenAPI document lives: under the service's own prefix, so the gateway
/// forwards it like any other route, and a host running all services serves all three.</summary>
public static class ApiDocs
{
    public static readonly string[] Services = ["catalog", "matching", "logistics"];

    public static string Path(string service) => $"/api/{service}/openapi.json";

    /// <summary>The route pattern for MapOpenApi: the document name is the service, pinned by a constraint
    /// so three services in one host do not map the same pattern.</summary>
    public static string Pattern(string service) => $"/api/{{documentName:regex(^{service}$)}}/openapi.json";

    /// <summary>MapOpenApi for the service's document, anyone's to read, built once per process and kept
    /// (<see cref="KeptApiDocument"/>).</summary>
    public static IEndpointConventionBuilder MapServiceOpenApi(this IEndpointRouteBuilder app, string service) =>
        app.MapOpenApi(Pattern(service)).AllowAnonymous().AddEndpointFilter(new KeptApiDocument().ServeAsync);

    public static bool Covers(string service, string? relativePath) =>
        relativePath?.StartsWith($"api/{service}", StringComparison.Ordinal) == true;

    /// <summary>Registers the service's document: its own routes only, and no server address. The framework would
    /// name the host the request reached, which behind the gateway is the service's internal address; "/" resolves
    /// against wherever the client fetched the document from, the gateway or the service itself. The transformers add
    /// what the endpoints' metadata implies but the framework leaves out: the API key, the answers of authorization and
    /// body reading, numbers' types, problems' extra members, that
    /// every body is required, and that a required request field takes no null.</summary>
    public static IServiceCollection AddServiceOpenApi(this IServiceCollection services, string service) =>
        services.AddOpenApi(service, o =>
        {
            o.ShouldInclude = d => Covers(service, d.RelativePath);
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Servers = [new OpenApiServer { Url = "/" }];
                return Task.CompletedTask;
            });
            var apiKey = new ApiKeyDocs();
            o.AddDocumentTransformer(apiKey);
            o.AddOperationTransformer(apiKey);
            o.AddOperationTransformer(new BodyProblemDocs());
            o.AddOperationTransformer(new StorageProblemDocs());
            o.AddOperationTransformer(new RequiredBodies());
            o.AddSchemaTransformer(new NumberSchemas());
            o.AddSchemaTransformer(new ProblemSchemas());
            o.AddDocumentTransformer(new RequestSchemas());
        });
}
