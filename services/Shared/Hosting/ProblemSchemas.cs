using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TradeNet.Shared.Hosting;

/// <summary>Problems carry members beyond ProblemDetails' own (<c>traceId</c> always; <c>tradeId</c>, <c>legs</c>,
/// <c>retryable</c> on some): the refusal of unknown members that holds for requests and views must not hold for them.</summary>
internal sealed class ProblemSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is null && typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
        {
            schema.AdditionalPropertiesAllowed = true;
            schema.AdditionalProperties = null;
        }
        return Task.CompletedTask;
    }
}
