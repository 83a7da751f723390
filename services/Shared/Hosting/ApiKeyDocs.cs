using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// The OpenAPI documents describe the API as the gateway serves it: callers send <c>X-Api-Key</c>, which the edge turns
/// into the internal token the services check. A route asks for the key exactly when the authorization middleware would:
/// its endpoint carries authorization data and no <see cref="IAllowAnonymous"/>.
/// </summary>
internal sealed class ApiKeyDocs : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeId = "ApiKey";
    public const string Header = "X-Api-Key";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = Header,
            Description = "A town's API key (answered once by POST /api/catalog/towns) or an operator's, checked by the gateway.",
        };
        return Task.CompletedTask;
    }

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count == 0 || metadata.OfType<IAllowAnonymous>().Any()) return;

        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] }];
        await ProblemResponses.AddAsync(operation, context, StatusCodes.Status401Unauthorized,
            "No API key, or one the gateway does not know.", cancellationToken);
        // A named policy or role admits only some callers (a town's key on an operators' route); the default policy any.
        if (authorize.Any(a => a.Policy is not null || a.Roles is not null))
            await ProblemResponses.AddAsync(operation, context, StatusCodes.Status403Forbidden,
                "The API key's role (town or operator) may not use this route, or not on this record.", cancellationToken);
    }
}
