using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TradeNet.Shared.Hosting;

/// <summary>Every TradeNet route that reads a JSON body needs one. Some handlers take theirs as nullable only so that a
/// missing body reaches their own check and gets a 400 naming <c>body</c> or the field, instead of the framework's; the
/// framework documents such a body as optional and null-or-the-request. This says what the route does: required, the
/// request itself.</summary>
internal sealed class RequiredBodies : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody is not OpenApiRequestBody body || body.Content?.TryGetValue("application/json", out var json) != true
            || json is null)
            return Task.CompletedTask;
        // A route whose body only some callers send says so (OptionalRequestBody); the schema is still the request's.
        body.Required = !context.Description.ActionDescriptor.EndpointMetadata.OfType<OptionalRequestBody>().Any();
        if (json.Schema is OpenApiSchema { OneOf: { Count: > 0 } choices } && choices.Where(c => !IsNull(c)).ToList() is [var request])
            json.Schema = request;
        return Task.CompletedTask;
    }

    private static bool IsNull(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };
}

/// <summary>Endpoint metadata: the route's JSON body may be left out (an empty request), so the API document does not
/// call it required.</summary>
public sealed class OptionalRequestBody
{
    public static readonly OptionalRequestBody Instance = new();

    private OptionalRequestBody() { }
}
