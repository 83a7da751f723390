using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace TradeNet.Testing;

/// <summary>What the storage-fault hunts check of an answer (docs/operations.md, "Storage-fault hunt").</summary>
public static partial class StorageFaultAnswers
{
    /// <summary>A 503 ProblemDetails with Retry-After, saying the request was not applied, naming no internals.</summary>
    public static async Task AssertUnavailableAsync(HttpResponseMessage response, string where) =>
        Assert.Contains("not applied", await AssertRetryableAsync(response, where));

    /// <summary>A 503 ProblemDetails with Retry-After naming no internals; its detail.</summary>
    public static async Task<string> AssertRetryableAsync(HttpResponseMessage response, string where)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.ServiceUnavailable == response.StatusCode, $"{where}: answered {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{where}: no Retry-After");
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain("Sqlite", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" at ", text);
        return problem.GetProperty("detail").GetString()!;
    }

    /// <summary>Two snapshots of a service's reads are the same; otherwise says where, and where they part.</summary>
    public static void AssertSame(string before, string after, string where)
    {
        if (before == after) return;
        var at = 0;
        while (at < Math.Min(before.Length, after.Length) && before[at] == after[at]) at++;
        string Around(string text) => text[Math.Max(0, at - 100)..Math.Min(text.Length, at + 60)];
        Assert.Fail($"{where}: the reads changed at {at}:\n  before: …{Around(before)}…\n  after:  …{Around(after)}…");
    }

    /// <summary>An answer with its ids, names, keys and times masked: they differ from one fresh entity to the next, the
    /// rest must not. A time inside a string (a leg's failure) has its offset's '+' escaped by System.Text.Json.</summary>
    public static string Masked(string json) => Volatile().Replace(json, "*");

    [GeneratedRegex("\"(id|townId|apiKey|name|tradeId|roundId|listingId|fromTown|toTown|fromListing|toListing|traceParent)\":\"[^\"]*\"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(Z|([+-]|\\\\u002B)\\d\\d:\\d\\d)")]
    private static partial Regex Volatile();
}
