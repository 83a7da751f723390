using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Catalog.Application;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Api;

internal static class Responses
{
    /// <summary>A command's value as <typeparamref name="TOk"/>, or its problem as 400 (naming fields), 403, 404, 409 or
    /// 429 (with Retry-After, when <paramref name="http"/> is given: only a route that can be limited passes it).</summary>
    public static Results<TOk, ValidationProblem, ProblemHttpResult> From<TValue, TOk>(Outcome<TValue> outcome, Func<TValue, TOk> ok,
        HttpContext? http = null)
        where TValue : class where TOk : IResult
    {
        if (outcome.Problem is not { } problem) return ok(outcome.Value!);
        return problem.Kind switch
        {
            Failure.Invalid => Problems.Fields(problem.Errors ?? new Dictionary<string, string[]>()),
            Failure.NotFound => Problems.NotFound(problem.Detail),
            Failure.Forbidden => Problems.Forbidden(problem.Detail),
            Failure.TooManyRequests => TooMany(problem, http),
            _ => Problems.Conflict(problem.Detail),
        };
    }

    private static ProblemHttpResult TooMany(Problem problem, HttpContext? http)
    {
        if (http is not null && problem.RetryAfter is { } wait)
        {
            // Whole seconds, rounded up: a client waiting exactly this long is not refused again.
            var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests", detail: problem.Detail);
    }

    /// <summary>For a command that takes no fields (a path id and the caller only): its problem as 403, 404 or 409.
    /// Its type leaves out <see cref="ValidationProblem"/>, whose metadata would list a 400 the route cannot give.</summary>
    public static Results<TOk, ProblemHttpResult> Refusal<TValue, TOk>(Outcome<TValue> outcome, Func<TValue, TOk> ok)
        where TValue : class where TOk : IResult
    {
        if (outcome.Problem is not { } problem) return ok(outcome.Value!);
        return problem.Kind switch
        {
            Failure.NotFound => Problems.NotFound(problem.Detail),
            Failure.Forbidden => Problems.Forbidden(problem.Detail),
            Failure.Conflict => Problems.Conflict(problem.Detail),
            _ => throw new InvalidOperationException($"A command without fields failed as {problem.Kind}: {problem.Detail}"),
        };
    }
}
