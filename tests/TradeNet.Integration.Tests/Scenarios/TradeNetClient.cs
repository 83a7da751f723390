using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>Talks to TradeNet the way a town or an operator does: through the gateway, with an API key.</summary>
public sealed class TradeNetClient(Uri gateway, string? apiKey, TimeSpan? timeout = null) : IDisposable
{
    private readonly HttpClient _http = Create(gateway, apiKey, timeout ?? TimeSpan.FromSeconds(30));

    private static HttpClient Create(Uri gateway, string? apiKey, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = gateway, Timeout = timeout };
        if (apiKey is not null) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return http;
    }

    public async Task<JsonElement> Get(string path)
    {
        var response = await _http.GetAsync(path);
        return await Read(response, HttpStatusCode.OK, $"GET {path}");
    }

    /// <summary>Posts, retrying a few times on 503 as a well-behaved client does ("retry shortly").</summary>
    public async Task<JsonElement> Post(string path, object? body, HttpStatusCode expected)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await _http.PostAsync(path, body is null ? null : JsonContent.Create(body));
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && expected != HttpStatusCode.ServiceUnavailable && attempt < 5)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt));
                continue;
            }
            return await Read(response, expected, $"POST {path}");
        }
    }

    public Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return _http.SendAsync(request);
    }

    private static async Task<JsonElement> Read(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
            throw new Xunit.Sdk.XunitException($"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}
