using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using TradeNet.Shared.Auth;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// The OpenAPI documents describe the API as the gateway serves it: callers send <c>X-Api-Key</c>, which the edge turns
/// into the internal token the services check. A route asks for the key exactly when the authorization middleware would:
/// its endpoint carries authorization data and no <see cref="IAllowAnonymous"/>. Its 403 here is the policy's (a town's
/// key on an operators' route); a handler's own 403 (another town's record) is declared where the route is mapped.
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
        if (await TurnsAwayAKeyAsync(authorize, context.ApplicationServices))
            await ProblemResponses.AddAsync(operation, context, StatusCodes.Status403Forbidden,
                "The API key's role (town or operator) may not use this route.", cancellationToken);
    }

    // The edge gives every key the role town or operator: the route's policy answers 403 only if it admits not both.
    private static async Task<bool> TurnsAwayAKeyAsync(IEnumerable<IAuthorizeData> authorize, IServiceProvider services)
    {
        var policy = await AuthorizationPolicy.CombineAsync(services.GetRequiredService<IAuthorizationPolicyProvider>(), authorize);
        return policy?.Requirements.OfType<RolesAuthorizationRequirement>()
            .Any(r => !r.AllowedRoles.Contains(Roles.Town) || !r.AllowedRoles.Contains(Roles.Operator)) == true;
    }
}
