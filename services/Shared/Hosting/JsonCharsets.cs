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
            && media.Parameters.Where(IsCharset).ToList() is { Count: > 0 } charsets)
        {
            // Every charset parameter, not the first only: one sent twice ("charset=utf-8; charset=us-ascii") left the
            // framework the second to read the body in once the first was dropped.
            if (!charsets.All(c => string.Equals(HeaderUtilities.RemoveQuotes(c.Value).ToString(), "utf-8", StringComparison.OrdinalIgnoreCase)))
            {
                http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails { Status = StatusCodes.Status415UnsupportedMediaType, Title = "Unsupported Media Type", Detail = Refusal },
                });
                return;
            }
            foreach (var charset in charsets) media.Parameters.Remove(charset);
            http.Request.ContentType = media.ToString();
        }
        await next();
    }

    private static bool IsCharset(NameValueHeaderValue parameter) =>
        parameter.Name.Equals("charset", StringComparison.OrdinalIgnoreCase);
}
