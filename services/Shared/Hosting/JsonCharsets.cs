using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// Request bodies are UTF-8, as JSON is (RFC 8259): a charset parameter may say so, quoted or not, and is then dropped
/// so the framework reads the body as it reads one without it; any other charset is a 415. The framework would
/// otherwise transcode whatever .NET knows (an "us-ascii" body turned "é" into "?" in a stored name) and fail on the rest.
/// </summary>
internal static class JsonCharsets
{
    public const string Refusal = "The body must be JSON in UTF-8: send Content-Type: application/json (charset=utf-8 or none).";

    public static async Task CheckAsync(HttpContext http, Func<Task> next)
    {
        if (http.Request.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var media)
            && media.Charset.HasValue)
        {
            var charset = HeaderUtilities.RemoveQuotes(media.Charset).ToString();
            if (!string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails { Status = StatusCodes.Status415UnsupportedMediaType, Title = "Unsupported Media Type", Detail = Refusal },
                });
                return;
            }
            media.Charset = default;
            http.Request.ContentType = media.ToString();
        }
        await next();
    }
}
