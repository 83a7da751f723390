namespace TradeNet.Catalog.Application;

public enum Failure { Invalid, NotFound, Forbidden, Conflict, TooManyRequests }

/// <summary>Why a command did not happen (mapped to 400/404/403/409/429 by the endpoints).</summary>
/// <param name="RetryAfter">With <see cref="Failure.TooManyRequests"/>: how long until the same request may succeed.</param>
public sealed record Problem(Failure Kind, string Detail, Dictionary<string, string[]>? Errors = null, TimeSpan? RetryAfter = null)
{
    public static Problem Invalid(Dictionary<string, string[]> errors) => new(Failure.Invalid, "invalid request", errors);
    public static Problem Invalid(string field, string message) => Invalid(new() { [field] = [message] });
    public static Problem NotFound(string detail) => new(Failure.NotFound, detail);
    public static Problem Forbidden(string detail) => new(Failure.Forbidden, detail);
    public static Problem Conflict(string detail) => new(Failure.Conflict, detail);
    public static Problem TooManyRequests(string detail, TimeSpan retryAfter) => new(Failure.TooManyRequests, detail, RetryAfter: retryAfter);
}

/// <summary>What a command answers: a value, or a problem.</summary>
public sealed record Outcome<T>(T? Value, Problem? Problem) where T : class
{
    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Problem problem) => new(null, problem);
}
