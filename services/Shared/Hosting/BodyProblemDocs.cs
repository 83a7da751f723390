using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TradeNet.Shared.Hosting;

/// <summary>What every route taking a JSON body may answer before its handler runs: an unreadable body (400, naming the
/// field, from <see cref="ProblemExceptionHandler"/>), one over <see cref="ServiceDefaults.MaxRequestBodyBytes"/> (413),
/// one that is not JSON (415).</summary>
internal sealed class BodyProblemDocs : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody?.Content?.ContainsKey("application/json") != true) return;
        await ProblemResponses.AddAsync(operation, context, StatusCodes.Status400BadRequest,
            "The body is not a JSON object of this request's fields, or a field is invalid.", cancellationToken);
        await ProblemResponses.AddAsync(operation, context, StatusCodes.Status413PayloadTooLarge,
            $"The body is over {ServiceDefaults.MaxRequestBodyBytes / 1024} KB.", cancellationToken);
        await ProblemResponses.AddAsync(operation, context, StatusCodes.Status415UnsupportedMediaType,
            "The body is not JSON (Content-Type: application/json).", cancellationToken);
    }
}
