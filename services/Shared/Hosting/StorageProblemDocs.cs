using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using TradeNet.Shared.Storage;

namespace TradeNet.Shared.Hosting;

/// <summary>What every route that writes may answer when the storage is busy, full or failing: 503 with Retry-After,
/// nothing applied (<see cref="ProblemExceptionHandler"/>, <see cref="StorageUnavailable"/>). A route that lists its own
/// 503 keeps its wording.</summary>
internal sealed class StorageProblemDocs : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.HttpMethod is not ("POST" or "PUT" or "PATCH" or "DELETE")) return;
        await ProblemResponses.AddAsync(operation, context, StatusCodes.Status503ServiceUnavailable,
            "The storage is busy or failing. Nothing was applied, unless the detail names what was (a route that calls another service or writes one shipment at a time). Retry after the Retry-After header's seconds.", cancellationToken);
    }
}
