using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>Sends <see cref="RandomFleet"/>'s requests and keeps score: how often each action got each answer, the
/// slowest, and every answer the action could not expect (a 5xx, a 401/403 on the caller's own things, no answer).
/// Nobody's key changes in this scenario, so any 401/403 is unexpected.</summary>
public sealed class FleetCalls
{
    public sealed record Unexpected(string Action, HttpStatusCode Status, string Body);

    private readonly ConcurrentQueue<Unexpected> _unexpected = new();
    private readonly ConcurrentDictionary<string, int> _answers = new();
    private readonly ConcurrentDictionary<string, double> _slowest = new();
    private readonly ConcurrentDictionary<string, string> _refusals = new();

    public IReadOnlyCollection<Unexpected> UnexpectedAnswers => _unexpected;
    public IReadOnlyDictionary<string, int> Answers => _answers;
    public IReadOnlyDictionary<string, double> Slowest => _slowest;

    /// <summary>The answer's body when it was an expected success (null for an expected refusal, an unexpected answer or
    /// none).</summary>
    public async Task<JsonElement?> CallAsync(string action, Func<Task<HttpResponseMessage>> call, params HttpStatusCode[] expected)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await call();
            var text = await response.Content.ReadAsStringAsync();
            var ok = expected.Contains(response.StatusCode);
            Record(action, response.StatusCode, text, ok);
            return ok && response.IsSuccessStatusCode && text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
                ? JsonDocument.Parse(text).RootElement.Clone() : null;
        }
        catch (TaskCanceledException)
        {
            Record(action, 0, $"no answer in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s", expected: false);
            return null;
        }
        finally
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            _slowest.AddOrUpdate(action, ms, (_, was) => Math.Max(was, ms));
        }
    }

    /// <summary>A list read: 200 expected, empty on anything else (recorded as unexpected).</summary>
    public async Task<List<JsonElement>> ListAsync(TradeNetClient client, string path)
    {
        var body = await CallAsync("read", () => client.Send(HttpMethod.Get, path), HttpStatusCode.OK);
        return body is { ValueKind: JsonValueKind.Array } list ? [.. list.EnumerateArray()] : [];
    }

    /// <summary>Something the scenario saw that no status code shows (a stop report's outcome, say).</summary>
    public void Note(string action, string what, bool expected) =>
        Record(action, 0, what, expected, key: $"{action} {what}");

    private void Record(string action, HttpStatusCode status, string body, bool expected, string? key = null)
    {
        key ??= string.Create(CultureInfo.InvariantCulture, $"{action} {(int)status}");
        _answers.AddOrUpdate(key, 1, (_, n) => n + 1);
        // One refusal of each kind, to read why (a 409's detail) beside the counts.
        if ((int)status >= 400) _refusals.TryAdd(key, body.Length > 300 ? body[..300] : body);
        if (!expected) _unexpected.Enqueue(new Unexpected(action, status, body.Length > 600 ? body[..600] : body));
    }

    public string Summary() =>
        string.Join(", ", _answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} ×{a.Value}")) +
        "; slowest ms: " + string.Join(", ", _slowest.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} {a.Value:F0}")) +
        "\nA refusal of each kind:\n" + string.Join("\n", _refusals.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"  {a.Key}: {a.Value}"));
}
