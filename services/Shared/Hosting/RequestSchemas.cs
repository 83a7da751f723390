using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// Request bodies bind a field left out and a field sent as null alike (nullable members, so that the services' own
/// validation names a missing field instead of the serializer failing). A request record's parameter without a default
/// is one the validation requires, hence listed as required; this says that such a field takes no null either.
/// </summary>
internal sealed class RequestSchemas : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var pending = new Queue<string?>((document.Paths ?? [])
            .SelectMany(p => p.Value.Operations ?? [])
            .Select(o => o.Value.RequestBody?.Content?.TryGetValue("application/json", out var json) == true ? json.Schema : null)
            // (A body the handler takes as nullable is the request itself by now: RequiredBodies, an operation transformer.)
            .OfType<OpenApiSchemaReference>()
            .Select(r => r.Reference.Id));
        // The objects a body's fields hold (a vehicle's working hours) are requests too: followed through their references.
        var seen = new HashSet<string>();
        while (pending.TryDequeue(out var id))
        {
            if (id is null || !seen.Add(id) || document.Components?.Schemas?.TryGetValue(id, out var found) != true || found is not OpenApiSchema body) continue;
            foreach (var field in body.Required ?? new HashSet<string>())
                if (body.Properties?.TryGetValue(field, out var schema) == true && schema is OpenApiSchema { Type: { } type } property)
                    property.Type = type & ~JsonSchemaType.Null;
            foreach (var property in body.Properties?.Values ?? [])
                foreach (var nested in property is OpenApiSchema { OneOf: { } oneOf } ? oneOf : [property])
                    if (nested is OpenApiSchemaReference reference) pending.Enqueue(reference.Reference.Id);
        }
        return Task.CompletedTask;
    }
}
