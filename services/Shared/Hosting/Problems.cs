using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TradeNet.Shared.Hosting;

/// <summary>Shorthands for the 4xx answers every service gives, always as ProblemDetails.</summary>
public static class Problems
{
    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            detail: $"{field}: {message}", title: "Invalid request");

    public static ValidationProblem Fields(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")), title: "Invalid request");

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: what);

    public static ProblemHttpResult Forbidden(string why) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: why);

    public static ProblemHttpResult Conflict(string why) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: why);
}
