using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TradeNet.Shared.Hosting;

/// <summary>Problem answers in the OpenAPI documents, always <c>application/problem+json</c> as the services write them.</summary>
public static class ProblemResponses
{
    private const string ContentType = "application/problem+json";
    private const string SchemaId = nameof(ProblemDetails);

    /// <summary>The problem statuses a handler answers with beyond what its result types say: a
    /// <see cref="Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult"/> can carry any status, so the route names them.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses) builder.ProducesProblem(status, ContentType);
        return builder;
    }

    /// <summary>Adds a problem answer the route does not list yet (one it lists keeps its own schema and wording).</summary>
    internal static async Task AddAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, int status,
        string description, CancellationToken ct)
    {
        operation.Responses ??= [];
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (operation.Responses.ContainsKey(key)) return;
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [ContentType] = new() { Schema = await SchemaAsync(context, ct) } },
        };
    }

    // One ProblemDetails component, the one ProducesProblem's answers refer to as well.
    private static async Task<IOpenApiSchema> SchemaAsync(OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(SchemaId))
            document.Components.Schemas[SchemaId] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: ct);
        return new OpenApiSchemaReference(SchemaId, document);
    }
}
