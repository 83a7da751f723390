using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TradeNet.Shared.Hosting;

/// <summary>Gives numbers and times back their JSON type. A custom converter (<see cref="DisplayedNumbers"/> for doubles,
/// <see cref="ZonedTimes"/> for times) hides the type from the schema exporter, which then writes only
/// <c>format: double</c> or nothing: no type at all, so any value validates.</summary>
internal sealed class NumberSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type);
        if (schema.Type is null && JsonType(underlying ?? type) is { } json)
            schema.Type = underlying is null ? json : json | JsonSchemaType.Null;
        if (schema.Type is null && (underlying ?? type) == typeof(DateTimeOffset))
        {
            schema.Type = underlying is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date-time";
        }
        return Task.CompletedTask;
    }

    // Enums have an integer type code but are written as names (JsonStringEnumConverter).
    private static JsonSchemaType? JsonType(Type type) => type.IsEnum ? null : Type.GetTypeCode(type) switch
    {
        TypeCode.Double or TypeCode.Single or TypeCode.Decimal => JsonSchemaType.Number,
        TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
            or TypeCode.Int64 or TypeCode.UInt64 => JsonSchemaType.Integer,
        _ => null,
    };
}
