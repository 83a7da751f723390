using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using TradeNet.Shared.Storage;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// Turns exceptions into ProblemDetails: unreadable or oversized requests keep their 4xx and say
/// what was wrong (the JSON path of a bad field); a storage that is busy, full or failing is a 503 with Retry-After
/// (<see cref="StorageUnavailable"/>); anything else is a 500 without a stack trace.
/// A body that fails on one field (a value of the wrong type, a field given twice, one the request does not take) also
/// names it in <c>errors</c>, as handlers' own field checks do (<see cref="Problems.Field"/>), so a client reads every
/// field problem in one place whichever step found it.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: 413 } => (413, "Request body too large", "The request body exceeds the allowed size."),
            BadHttpRequestException bad => (bad.StatusCode, "Invalid request", Describe(bad)),
            // Another request changed the same record at the same moment, every retry included; nothing was written.
            WriteConflictException => (409, "Conflict", "Another request changed the same record at the same moment; nothing was changed. Try again."),
            // The storage is busy, full or failing: not the caller's fault and not a bug; nothing was applied.
            _ when StorageUnavailable.Is(exception) => (503, "Service unavailable", StorageUnavailable.Detail),
            _ => (500, "Unexpected error", "The server could not complete the request."),
        };
        var problem = exception is BadHttpRequestException { StatusCode: 400 } unreadable && FieldError(unreadable) is var (field, error)
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [error] })
            : new ProblemDetails();
        (problem.Status, problem.Title, problem.Detail) = (status, title, detail);
        if (status == 503)
        {
            logger.LogError(exception, "Storage unavailable on {Method} {Path}; the request was not applied", http.Request.Method, http.Request.Path);
            http.Response.Headers.RetryAfter = StorageUnavailable.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (status >= 500) logger.LogError(exception, "Unhandled error on {Path}", http.Request.Path);
        else if (exception is WriteConflictException) logger.LogWarning("{Path} lost a write race after its retries: {Reason}", http.Request.Path, exception.Message);
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = problem,
            Exception = null,
        });
    }

    private const string MissingBody = "The request body is missing (or null); send a JSON object.";
    internal const string ExpectedJson = "The request body must be JSON (Content-Type: application/json).";

    // Names the JSON path of the bad field; never echoes the server's own type names.
    private static string Describe(BadHttpRequestException bad) => bad.InnerException switch
    {
        // System.Text.Json's wording for a property met twice when duplicates are refused ("Duplicate property ...").
        JsonException { Path: { Length: > 1 } path } json when json.Message.StartsWith("Duplicate", StringComparison.Ordinal)
            => $"Field '{FieldName(path)}' is given more than once.",
        // System.Text.Json's wording for a field no member takes ("The JSON property 'x' could not be mapped ..."); the
        // rest of that message names the server's type, so only the field is repeated.
        JsonException json when json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            => UnknownField(json) is { } field && IsPlainName(field)
                ? $"Field '{field}' is not part of this request; check its name."
                // The name is the client's own text: repeated only when short and plain, as ids are.
                : "The request has a field it does not take; check the field names.",
        // A syntax error (the reader's exception inside): blaming the field it broke in, as for a bad value, would
        // send the caller looking at a value that is fine ({"quantity":10 without its closing brace).
        JsonException { InnerException: JsonException } json => NotJson(json),
        FieldMessageException { Path: { Length: > 1 } path } said => $"Field '{FieldName(path)}' {said.Message}.",
        JsonException { Path: { Length: > 1 } path } => $"Field '{FieldName(path)}' has an invalid value.",
        // Well-formed JSON of the wrong shape at the top ([], "text", 5): the body must be an object.
        JsonException { Path: "$" } => "The request body must be a JSON object.",
        JsonException => "The request body is not valid JSON.",
        // Minimal APIs' wording for an absent, empty or JSON null body ("...not provided from body", "no body was provided").
        _ when bad.Message.Contains("provided from body", StringComparison.OrdinalIgnoreCase)
            || bad.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase) => MissingBody,
        // "Expected a supported JSON media type but got ...".
        _ when bad.Message.Contains("media type", StringComparison.OrdinalIgnoreCase) => ExpectedJson,
        _ => "The request could not be read.",
    };

    /// <summary>The field a body failed on and what is wrong with it, worded as the handlers' checks are ("has an invalid
    /// value"); null when the failure is not one field's (broken JSON, a body that is not an object, none at all) or the
    /// name is not plain enough to repeat as a key.</summary>
    private static (string Field, string Error)? FieldError(BadHttpRequestException bad)
    {
        var (field, error) = bad.InnerException switch
        {
            JsonException { Path: { Length: > 1 } path } json when json.Message.StartsWith("Duplicate", StringComparison.Ordinal)
                => (FieldName(path), "is given more than once"),
            JsonException json when json.Message.Contains("could not be mapped", StringComparison.Ordinal)
                => (UnknownField(json), "is not part of this request; check its name"),
            JsonException { InnerException: JsonException } => (null, ""),
            FieldMessageException { Path: { Length: > 1 } path } said => (FieldName(path), said.Message),
            JsonException { Path: { Length: > 1 } path } => (FieldName(path), "has an invalid value"),
            _ => (null, ""),
        };
        return field is not null && IsPlainName(field) ? (field, error) : null;
    }

    private static string FieldName(string jsonPath) => jsonPath.TrimStart('$', '.');

    // Letters, digits and path punctuation (legs[0].x), at most 100: no markup, control or bidi characters to repeat.
    private static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '[' or ']');

    private static string? UnknownField(JsonException json)
    {
        var start = json.Message.IndexOf('\'');
        var end = start < 0 ? -1 : json.Message.IndexOf('\'', start + 1);
        if (end <= start + 1) return null;
        var name = json.Message[(start + 1)..end];
        // The path locates it inside nested objects (legs[0].x) when it ends with the field.
        return json.Path is { Length: > 1 } path && path.EndsWith(name, StringComparison.Ordinal) ? FieldName(path) : name;
    }

    // Line and byte are 0-based in JsonException; editors count from 1.
    private static string NotJson(JsonException json) => json is { LineNumber: { } line, BytePositionInLine: { } column }
        ? $"The request body is not valid JSON (it breaks at line {line + 1}, byte {column + 1})."
        : "The request body is not valid JSON.";
}
