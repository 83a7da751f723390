using System.Text.Json;

namespace TradeNet.Telemetry.Tests;

public sealed record Span(string Service, string Scope, string TraceId, string SpanId, string? ParentSpanId, string Name, int Kind,
    IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<string> LinkedTraces)
{
    public string? Attr(string key) => Attributes.GetValueOrDefault(key);
}

/// <summary>Reads the dashboard's OTLP-JSON trace API (<c>/api/telemetry/traces?resource=name</c>).</summary>
public static class DashboardSpans
{
    public static async Task<List<Span>> ReadAsync(Uri dashboard, string apiKey, params string[] resources)
    {
        using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Add("x-api-key", apiKey);
        var spans = new Dictionary<string, Span>();
        foreach (var resource in resources)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"/api/telemetry/traces?resource={resource}"));
            foreach (var span in Parse(doc.RootElement)) spans[span.SpanId] = span;
        }
        return spans.Values.ToList();
    }

    private static IEnumerable<Span> Parse(JsonElement root)
    {
        var data = root.TryGetProperty("data", out var d) ? d : root;
        if (!data.TryGetProperty("resourceSpans", out var resourceSpans)) yield break;
        foreach (var rs in resourceSpans.EnumerateArray())
        {
            var service = Attributes(rs.GetProperty("resource")).GetValueOrDefault("service.name", "");
            foreach (var ss in rs.GetProperty("scopeSpans").EnumerateArray())
            {
                var scope = ss.TryGetProperty("scope", out var sc) && sc.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                foreach (var s in ss.GetProperty("spans").EnumerateArray())
                    yield return new Span(service, scope, s.GetProperty("traceId").GetString()!, s.GetProperty("spanId").GetString()!,
                        s.TryGetProperty("parentSpanId", out var p) ? p.GetString() : null, s.GetProperty("name").GetString()!,
                        s.TryGetProperty("kind", out var k) ? k.GetInt32() : 0, Attributes(s),
                        s.TryGetProperty("links", out var links)
                            ? links.EnumerateArray().Select(l => l.GetProperty("traceId").GetString()!).ToList()
                            : []);
            }
        }
    }

    private static Dictionary<string, string> Attributes(JsonElement element)
    {
        var result = new Dictionary<string, string>();
        if (!element.TryGetProperty("attributes", out var attributes)) return result;
        foreach (var a in attributes.EnumerateArray())
        {
            var value = a.GetProperty("value");
            result[a.GetProperty("key").GetString()!] = value.EnumerateObject().FirstOrDefault().Value.ToString();
        }
        return result;
    }
}
