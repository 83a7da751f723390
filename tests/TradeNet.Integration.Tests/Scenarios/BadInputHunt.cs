using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using TradeNet.Integration.Tests.Infrastructure;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// Malformed input on every route the services' OpenAPI documents list, through the gateway, with the right caller's key
/// (the operator, or town A, the owner of every live target, where the operator is refused). For each answer: never a
/// 5xx; a refusal is <c>application/problem+json</c> with a title and a detail or errors, naming the field or
/// parameter at fault where the hunt knows it, and no stack trace or exception name; a request no route may take is
/// refused (the edge's 408/413/414/429/431 count); and what the routes read back is the same after every batch of
/// refused requests (<see cref="StoredState"/>).
/// </summary>
public sealed partial class BadInputHunt(ITradeNetUnderTest tradeNet, int seed, int extraPerRoute)
{
    private static readonly HttpStatusCode[] EdgeRefusals =
        [HttpStatusCode.RequestTimeout, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.RequestUriTooLong,
         HttpStatusCode.TooManyRequests, HttpStatusCode.RequestHeaderFieldsTooLarge];

    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentDictionary<string, int> _answers = new(StringComparer.Ordinal);
    private readonly List<string> _callers = [];
    private readonly List<string> _accepted = [];
    private int _sent;

    public IReadOnlyCollection<string> Problems => _problems;
    public BadInputWorld World { get; private set; } = null!;
    public IReadOnlyList<ApiRoute> Routes { get; private set; } = [];

    public async Task RunAsync()
    {
        World = await BadInputWorld.BuildAsync(tradeNet.Gateway, tradeNet.OperatorApiKey);
        Routes = await ApiRoute.ReadAllAsync(tradeNet.Gateway);
        using var ops = World.Flow.Operator(TimeSpan.FromSeconds(60));
        using var asOperator = Client(tradeNet.OperatorApiKey);
        using var asTown = Client(World.A.ApiKey);
        var random = new Random(seed);
        var state = await StoredState.ReadAsync(ops, World);
        // Routes in a seeded order, so that what one route's accepted request left behind meets different routes.
        foreach (var route in Routes.OrderBy(_ => random.Next()).ToList())
        {
            var routeRandom = new Random(HashCode.Combine(seed, route.Name.GetHashCode(StringComparison.Ordinal) & 0x7fff));
            var answers = await RunRouteAsync(route, asOperator, "operator", new Random(routeRandom.Next()), state, ops);
            state = answers.State;
            // Most of it refused as forbidden: the operator is not this route's caller; town A (every target is its) is.
            if (answers.Forbidden * 2 > answers.Count)
                state = (await RunRouteAsync(route, asTown, "town", new Random(routeRandom.Next()), state, ops)).State;
        }
    }

    private sealed record RouteAnswers(int Count, int Forbidden, StoredState State);

    private async Task<RouteAnswers> RunRouteAsync(ApiRoute route, HttpClient client, string caller, Random random, StoredState before,
        TradeNetClient ops)
    {
        var cases = new BadInputCases(route, World, random, extraPerRoute) { Caller = caller }.Build();
        var forbidden = 0;
        // First every request whose success could not have written anything: the store must be as it was.
        var strict = cases.Where(c => !c.MayWrite).ToList();
        foreach (var status in await SendAllAsync(route, client, caller, strict))
            if (status is HttpStatusCode.Forbidden) forbidden++;
        var after = await StoredState.ReadAsync(ops, World);
        foreach (var change in after.ChangesSince(before))
            _problems.Enqueue($"{route.Name} as {caller}: refused requests changed what is stored: {change}");
        // Then those a route may take (a bidi character in a name, a negative number): compared only when all refused.
        var lenient = cases.Where(c => c.MayWrite).ToList();
        var statuses = await SendAllAsync(route, client, caller, lenient);
        forbidden += statuses.Count(s => s is HttpStatusCode.Forbidden);
        var taken = statuses.Any(s => (int)s < 400);
        // A write taken travels on by event (a town moved: its listings' copies in matching's book); the next route's
        // baseline waits until two reads agree.
        var final = taken ? await SettledAsync(ops) : await StoredState.ReadAsync(ops, World);
        if (!taken)
            foreach (var change in final.ChangesSince(after))
                _problems.Enqueue($"{route.Name} as {caller}: refused requests changed what is stored: {change}");
        lock (_callers) _callers.Add($"{route.Name} as {caller}: {cases.Count} requests, {forbidden} forbidden");
        return new RouteAnswers(cases.Count, forbidden, final);
    }

    private async Task<StoredState> SettledAsync(TradeNetClient ops)
    {
        // Unchanged over 1.2 s: longer than two of an outbox relay's idle waits (500 ms), so an event written with the
        // write has been relayed and handled.
        var last = await StoredState.ReadAsync(ops, World);
        for (int i = 0, same = 0; i < 20; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(600));
            var now = await StoredState.ReadAsync(ops, World);
            same = now.ChangesSince(last).Any() ? 0 : same + 1;
            if (same == 2) return now;
            last = now;
        }
        throw new Xunit.Sdk.XunitException("What is stored kept changing for 12 s after a route's accepted requests.");
    }

    private async Task<List<HttpStatusCode>> SendAllAsync(ApiRoute route, HttpClient client, string caller, List<BadRequest> cases)
    {
        var statuses = new ConcurrentBag<HttpStatusCode>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, ct) =>
        {
            var status = await SendAsync(route, client, caller, request, ct);
            if (status is { } s) statuses.Add(s);
        });
        return [.. statuses];
    }

    private async Task<HttpStatusCode?> SendAsync(ApiRoute route, HttpClient client, string caller, BadRequest bad, CancellationToken ct)
    {
        Interlocked.Increment(ref _sent);
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), bad.Path);
        if (bad.Body is not null)
        {
            request.Content = new ByteArrayContent(bad.Body);
            if (bad.ContentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(bad.ContentType);
        }
        foreach (var (name, value) in bad.Headers) request.Headers.TryAddWithoutValidation(name, value);
        string text;
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, ct);
            text = await response.Content.ReadAsStringAsync(ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            _problems.Enqueue($"{route.Name} as {caller}: no answer ({ex.GetType().Name}: {ex.Message} {ex.InnerException?.Message}) to {bad.Describe(route.Method)}");
            return null;
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            _answers.AddOrUpdate($"{status}", 1, (_, n) => n + 1);
            var fault = Judge(bad, response, status, text);
            if (fault is not null)
                _problems.Enqueue($"{route.Name} as {caller}: {fault}\n    sent {bad.Describe(route.Method)}\n    got {status} {response.Content.Headers.ContentType}: {BadRequest.Shorten(text, 400)}");
            else if (status < 400 && bad.MustRefuse is false && route.Writes)
                lock (_accepted) _accepted.Add($"{route.Name}: {bad.Kind} → {status}");
            return response.StatusCode;
        }
    }

    /// <summary>What is wrong with the answer, or null.</summary>
    private static string? Judge(BadRequest bad, HttpResponseMessage response, int status, string text)
    {
        if (status >= 500) return "a server error";
        if (status < 400) return bad.MustRefuse ? "bad input was taken" : null;
        if (EdgeRefusals.Contains(response.StatusCode) && status != 429 && bad.Names is null) return ProblemFault(response, text, needsDetail: false);
        if (ProblemFault(response, text, needsDetail: true) is { } fault) return fault;
        if (Leaks().IsMatch(text)) return "the problem shows a stack trace or the server's type names";
        if (status == 400 && bad.Names is { } name && !text.Contains(name, StringComparison.OrdinalIgnoreCase))
            return $"the 400 does not name '{name}'";
        return null;
    }

    private static string? ProblemFault(HttpResponseMessage response, string text, bool needsDetail)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return "a refusal that is not application/problem+json";
        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            if (!problem.TryGetProperty("title", out var title) || string.IsNullOrWhiteSpace(title.GetString())) return "a problem without a title";
            var detailed = problem.TryGetProperty("detail", out var detail) && !string.IsNullOrWhiteSpace(detail.GetString())
                || problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any();
            return needsDetail && !detailed ? "a problem that says nothing (no detail, no errors)" : null;
        }
        catch (JsonException)
        {
            return "a problem body that is not JSON";
        }
    }

    // A .NET stack frame, a source line, an exception's or a framework type's name.
    [GeneratedRegex(@"\bat [A-Z]\w*(\.\w+)+\(|\.cs:line \d+|\w+Exception\b|\bSystem\.[A-Z]\w+|\bMicrosoft\.[A-Z]\w+")]
    private static partial Regex Leaks();

    private HttpClient Client(string key)
    {
        // Header values in UTF-8 as a careless client sends them, so that the edge, not this client, judges them.
        var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 };
        var http = new HttpClient(handler) { BaseAddress = tradeNet.Gateway, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return http;
    }

    public string Summary() =>
        string.Create(CultureInfo.InvariantCulture, $"seed {seed}: {_sent} requests on {Routes.Count} routes; answers ") +
        string.Join(", ", _answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} ×{a.Value}")) +
        "\ncallers:\n  " + string.Join("\n  ", _callers) +
        $"\ntaken though suspicious ({_accepted.Count}):\n  " + string.Join("\n  ", _accepted.Distinct().Take(60));
}
