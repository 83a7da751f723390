using Microsoft.AspNetCore.Http;

namespace TradeNet.Shared.Hosting;

/// <summary>A service's OpenAPI document, built on the first request and kept: it is made from the code alone (no
/// server address, nothing of the caller), so every answer is the same bytes. Built per request it cost 20–50 ms of a
/// core against well under 1 ms for an ordinary read, and anyone may ask for it, key or none: one client looping on it
/// at the edge's per-address limit kept half a core of the service busy.</summary>
internal sealed class KeptApiDocument
{
    private readonly SemaphoreSlim _building = new(1, 1);
    private volatile Kept? _kept;

    private sealed record Kept(byte[] Body, string? ContentType);

    /// <summary>The endpoint filter on MapOpenApi's route: the kept document, or the first build's answer, kept when it
    /// is a 200. One build at a time, so requests arriving together before the first answer wait for it.</summary>
    public async ValueTask<object?> ServeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_kept is { } kept) return TypedResults.Bytes(kept.Body, kept.ContentType);
        await _building.WaitAsync(context.HttpContext.RequestAborted);
        try
        {
            if (_kept is { } built) return TypedResults.Bytes(built.Body, built.ContentType);
            var response = context.HttpContext.Response;
            var body = response.Body;
            using var buffer = new MemoryStream();
            response.Body = buffer;
            object? result;
            try
            {
                result = await next(context);
            }
            finally
            {
                response.Body = body;
            }
            if (response.StatusCode == StatusCodes.Status200OK) _kept = new Kept(buffer.ToArray(), response.ContentType);
            buffer.Position = 0;
            await buffer.CopyToAsync(body, context.HttpContext.RequestAborted);
            return result;
        }
        finally
        {
            _building.Release();
        }
    }
}
