using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Catalog.Application;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Api;

internal static class Responses
{
    /// <summary>A command's value as <typeparamref name="TOk"/>, or its problem as 400 (naming fields), 403, 404 or 409.</summary>
    public static Results<TOk, ValidationProblem, ProblemHttpResult> From<TValue, TOk>(Outcome<TValue> outcome, Func<TValue, TOk> ok)
        where TValue : class where TOk : IResult
    {
        if (outcome.Problem is not { } problem) return ok(outcome.Value!);
        return problem.Kind switch
        {
            Failure.Invalid => Problems.Fields(problem.Errors ?? new Dictionary<string, string[]>()),
            Failure.NotFound => Problems.NotFound(problem.Detail),
            Failure.Forbidden => Problems.Forbidden(problem.Detail),
            _ => Problems.Conflict(problem.Detail),
        };
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
