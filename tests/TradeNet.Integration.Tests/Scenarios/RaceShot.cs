using System.Net;
using System.Text.Json;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>One request of a burst and what it was answered: the status, the body, and the trade the body shows (if any).</summary>
public sealed record RaceShot(string Action, HttpStatusCode Status, string Body, string? ContentType)
{
    public bool Ok => (int)Status is >= 200 and < 300;

    /// <summary>A refusal a client can act on: 4xx with a ProblemDetails body. Anything else (a 5xx, a bare 4xx) is a
    /// defect, whatever the race.</summary>
    public string? Wrong =>
        (int)Status >= 500 ? "a server error"
        : (int)Status >= 400 && ContentType != "application/problem+json" ? $"a {(int)Status} without ProblemDetails ({ContentType})"
        : null;

    /// <summary>The trade status in a trade view's body, if the answer is one.</summary>
    public string? TradeStatus
    {
        get
        {
            if (!Ok || Body.Length == 0) return null;
            try
            {
                using var doc = JsonDocument.Parse(Body);
                return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("status", out var s)
                    && doc.RootElement.TryGetProperty("legs", out _) ? s.GetString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public override string ToString() => $"{Action}: {(int)Status}{(Ok ? "" : " " + Body[..Math.Min(Body.Length, 300)])}";
}

/// <summary>Fires a burst: every request waits on one gate, which opens once all of them are queued, so they reach the
/// gateway together rather than in the order they were written.</summary>
public static class RaceGate
{
    public static async Task<IReadOnlyList<RaceShot>> FireAsync(IEnumerable<(string Action, Func<Task<HttpResponseMessage>> Send)> shots)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = shots.Select(shot => Task.Run(async () =>
        {
            await gate.Task;
            using var response = await shot.Send();
            return new RaceShot(shot.Action, response.StatusCode, await response.Content.ReadAsStringAsync(),
                response.Content.Headers.ContentType?.MediaType);
        })).ToList();
        // Let every task reach the gate before it opens.
        await Task.Delay(20);
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }
}
