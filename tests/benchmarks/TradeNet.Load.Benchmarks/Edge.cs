using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace TradeNet.Load.Benchmarks;

/// <summary>An answer from the gateway: its status and JSON body (default when there is none or it is not JSON).</summary>
public sealed record Answer(int Status, JsonElement Body, string? NextPage)
{
    public bool Ok => Status is >= 200 and < 300;
}

/// <summary>Spaces one client's requests to at most <paramref name="perSecond"/>, as a client that respects the
/// gateway's limit (<c>Gateway:RateLimit:PermitsPerMinute</c>, 600 per key and per town) would. One caller at a time.</summary>
public sealed class Pacer(double perSecond)
{
    private readonly TimeSpan _gap = perSecond > 0 ? TimeSpan.FromSeconds(1 / perSecond) : TimeSpan.Zero;
    private long _next = Stopwatch.GetTimestamp();

    public async Task WaitAsync()
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _next);
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        _next = Math.Max(_next, Stopwatch.GetTimestamp()) + (long)(_gap.TotalSeconds * Stopwatch.Frequency);
    }
}

/// <summary>Calls through the gateway, each timed and recorded under an operation name.</summary>
public sealed class Edge(Recorder recorder)
{
    public Recorder Recorder => recorder;

    /// <summary>A client of its own per town, as real towns are separate clients. On a loopback gateway each town may
    /// connect from its own 127.x address, as towns come from their own addresses: the gateway limits registrations per
    /// client address (<c>Gateway:RateLimit:RegistrationsPerMinute</c>, 10), which one address for all would hit.</summary>
    public static HttpClient Client(Uri gateway, IPAddress? local)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 64 };
        if (local is not null)
            handler.ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        // A clearing round or planning run answers in its request (up to ~30 s of solving, more on a loaded host).
        return new HttpClient(handler) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(120) };
    }

    /// <param name="expected">4xx statuses this operation meets in normal use (a race another town won); any other
    /// 4xx, every 5xx and a call without an answer are unexpected.</param>
    public async Task<Answer> SendAsync(HttpClient http, string op, HttpMethod method, string path, string? key,
        object? body = null, int[]? expected = null, string? idempotencyKey = null, Pacer? pacer = null)
    {
        if (pacer is not null) await pacer.WaitAsync();
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var ms = clock.Elapsed.TotalMilliseconds;
            var status = (int)response.StatusCode;
            var json = Parse(text);
            var ok = status is >= 200 and < 300 || (status is >= 400 and < 500 && expected?.Contains(status) == true);
            recorder.Record(op, status, ms, ok, ok ? null : Problem(json, text));
            return new Answer(status, json, NextPage(response));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            recorder.Record(op, 0, clock.Elapsed.TotalMilliseconds, expected: false, $"{e.GetType().Name}: {e.Message}");
            return new Answer(0, default, null);
        }
    }

    // Only what the body says is sent: a listing change is a merge patch, where a null clears a field.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static JsonElement Parse(string text)
    {
        if (text.Length == 0) return default;
        try { return JsonDocument.Parse(text).RootElement; }
        catch (JsonException) { return default; }
    }

    private static string Problem(JsonElement json, string text) =>
        json.ValueKind == JsonValueKind.Object
            ? $"{Str(json, "title")} — {Str(json, "detail")}{(json.TryGetProperty("errors", out var errors) ? " " + errors.GetRawText() : "")}"
            : text;

    public static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The path of the <c>Link: &lt;…&gt;; rel="next"</c> page, if any.</summary>
    private static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            if (!link.Contains("rel=\"next\"", StringComparison.Ordinal)) continue;
            var start = link.IndexOf('<', StringComparison.Ordinal);
            var end = link.IndexOf('>', StringComparison.Ordinal);
            if (start < 0 || end <= start) continue;
            var target = link[(start + 1)..end];
            // A path as is: on Unix "/api/…" also parses as an absolute file:// URI.
            if (target.StartsWith('/')) return target;
            return Uri.TryCreate(target, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : target;
        }
        return null;
    }
}
