using TradeNet.Integration.Tests.Scenarios;
using TradeNet.Testing;

namespace TradeNet.Telemetry.Tests;

public sealed class TradeTraceTests(AppHostProcess appHost) : IClassFixture<AppHostProcess>
{
    private const int Server = 2, Client = 3, Producer = 4, Consumer = 5;
    private static readonly string[] Resources = ["gateway", "catalog", "matching", "logistics"];

    [Fact]
    public async Task An_operator_follows_a_trade_across_the_gateway_and_every_service_in_the_dashboard_and_sees_its_metrics()
    {
        string tradeId;
        try
        {
            var completed = await new TradeFlow(appHost.Gateway, AppHostProcess.OperatorKey).RunToCompletion();
            tradeId = completed.GetProperty("id").GetString()!;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n--- app host ---\n{Tail(appHost.Output)}");
        }

        // Spans arrive in batches: wait until every resource has reported some for this trade.
        var spans = await Eventually.Until(() => DashboardSpans.ReadAsync(appHost.Dashboard, appHost.TelemetryApiKey, Resources),
            all => Resources.All(r => all.Any(s => s.Service == r && s.Attr("tradenet.trade_id") == tradeId)) &&
                   all.Any(s => s.Scope == "MassTransit" && s.Kind == Consumer && s.Attr("tradenet.trade_id") == tradeId) &&
                   // The last hop (a delivery report reaching matching) is exported last; wait for it too.
                   all.Any(c => c.Service == "matching" && c.Scope == "MassTransit" && c.Kind == Consumer && c.Attr("tradenet.trade_id") == tradeId &&
                                all.Any(p => p.Service == "logistics" && p.Kind == Producer && p.TraceId == c.TraceId && p.Attr("tradenet.trade_id") == tradeId)),
            TimeSpan.FromSeconds(60), $"spans tagged with trade {tradeId} from {string.Join(", ", Resources)}");
        var trade = spans.Where(s => s.Attr("tradenet.trade_id") == tradeId).ToList();

        // The edge: the towns' answers to the trade.
        Assert.Contains(trade, s => s.Service == "gateway" && s.Kind == Server && s.Name.Contains("/api/matching/"));

        // The gRPC reservation: matching's client span is the parent of catalog's server span.
        var reservations = trade.Where(s => s.Service == "catalog" && s.Kind == Server && s.Name.Contains("ReserveListings")).ToList();
        Assert.NotEmpty(reservations);
        Assert.Contains(reservations, r => spans.Any(c => c.SpanId == r.ParentSpanId && c.TraceId == r.TraceId &&
            c.Service == "matching" && c.Kind == Client && c.Attr("tradenet.trade_id") == tradeId));

        // The RabbitMQ hop: matching publishes TradeAgreed, logistics consumes it in the same trace.
        var published = trade.Where(s => s.Service == "matching" && s.Scope == "MassTransit" && s.Kind == Producer).ToList();
        Assert.NotEmpty(published);
        var consumed = trade.Where(s => s.Service == "logistics" && s.Scope == "MassTransit" && s.Kind == Consumer).ToList();
        Assert.NotEmpty(consumed);
        Assert.Contains(consumed, c => published.Any(p => p.TraceId == c.TraceId));
        // ...and logistics' delivery reports reach matching the same way.
        Assert.Contains(trade, c => c.Service == "matching" && c.Scope == "MassTransit" && c.Kind == Consumer &&
                                    trade.Any(p => p.Service == "logistics" && p.Kind == Producer && p.TraceId == c.TraceId));

        // Steps that begin their own trace link back to the clearing round the trade was proposed in.
        var roundTraces = spans.Where(s => s.Service == "matching" && s.Name == "clearing round").Select(s => s.TraceId).ToHashSet();
        Assert.Contains(trade, s => s.Service == "matching" && s.LinkedTraces.Any(roundTraces.Contains));
        Assert.All(Resources, r => Assert.Contains(trade, s => s.Service == r));

        await AssertMetricsExported();
    }

    [Fact]
    public async Task The_dashboard_shows_nothing_without_the_login_link_or_the_telemetry_key_the_app_host_printed()
    {
        // It shows every resource's environment, the operator key among them.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = appHost.Dashboard };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync("/api/telemetry/traces?limit=1")).StatusCode);
        http.DefaultRequestHeaders.Add("x-api-key", "not-the-printed-key");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync("/api/telemetry/traces?limit=1")).StatusCode);
        var page = await http.GetAsync("/");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.IsAbsoluteUri ? page.Headers.Location.PathAndQuery : page.Headers.Location.OriginalString);
        Assert.Matches(@"Dashboard +: http://\S+/login\?t=\S+", appHost.Output);
    }

    /// <summary>The broker outage runbook stops the app host's own RabbitMQ node and reads each service's /health: its
    /// output named neither the node (other engineers' nodes run on the same machine) nor the services' addresses.</summary>
    [Fact]
    public async Task The_app_host_prints_its_RabbitMQ_nodes_name_and_each_services_address_which_answers_health()
    {
        Assert.Matches(@"RabbitMQ node tradenet-test-\d+@localhost up on 127\.0\.0\.1:\d+ after \S+ \(data (/\S+); deploy/rabbitmq/ctl\.sh \1 list_queues", appHost.Output);
        var services = System.Text.RegularExpressions.Regex.Match(appHost.Output,
            @"Services: catalog (http://\S+) \(gRPC \d+\), matching (http://\S+), logistics (http://\S+) \(gRPC \d+\)");
        Assert.True(services.Success, "no line names the services' addresses");
        using var http = new HttpClient();
        foreach (var address in services.Groups.Values.Skip(1).Select(g => g.Value))
            Assert.True((await http.GetAsync(address + "/health")).IsSuccessStatusCode, address);
    }

    [Fact]
    public async Task The_gateway_lists_each_services_OpenAPI_document_and_serves_it()
    {
        using var http = new HttpClient { BaseAddress = appHost.Gateway };
        var index = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/docs")).RootElement;
        Assert.Equal(["catalog", "matching", "logistics"], index.EnumerateArray().Select(d => d.GetProperty("service").GetString()));
        foreach (var (service, route) in new[] { ("catalog", "/api/catalog/listings"), ("matching", "/api/matching/trades"), ("logistics", "/api/logistics/shipments") })
        {
            var document = await http.GetStringAsync($"/api/{service}/openapi.json");
            Assert.Contains("\"openapi\"", document);
            // No internal address: clients resolve "/" against the gateway they fetched the document from.
            Assert.Equal(["/"], System.Text.Json.JsonDocument.Parse(document).RootElement.GetProperty("servers").EnumerateArray()
                .Select(s => s.GetProperty("url").GetString()));
            Assert.Contains($"\"{route}\"", document);
            Assert.DoesNotContain(service == "catalog" ? "\"/api/matching/trades\"" : "\"/api/catalog/listings\"", document);
        }
    }

    private async Task AssertMetricsExported()
    {
        (string Service, string Metric)[] expected =
        [
            ("matching", "tradenet.trades"), ("matching", "tradenet.proposals"), ("matching", "tradenet.clearing.duration"),
            ("matching", "tradenet.clearing.objective"), ("matching", "tradenet.outbox.pending"),
            ("matching", "tradenet.outbox.oldest_pending_age"), ("catalog", "tradenet.outbox.pending"),
            ("matching", "tradenet.trades.current"), ("logistics", "tradenet.shipments.current"),
            ("logistics", "tradenet.shipments"), ("logistics", "tradenet.planning.duration"), ("logistics", "tradenet.route.cost"),
            ("logistics", "tradenet.outbox.pending"), ("matching", "messaging.masstransit.consume"),
            ("gateway", "http.server.request.duration"), ("gateway", "kestrel.active_connections"),
        ];
        try
        {
            await Eventually.Until(() => Task.FromResult(expected.Where(e => !appHost.Metrics.Has(e.Service, e.Metric)).ToList()),
                missing => missing.Count == 0, TimeSpan.FromSeconds(30), "the TradeNet metrics");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var seen = string.Join("\n", Resources.Select(r => $"{r}: {string.Join(", ", appHost.Metrics.MetricsOf(r))}"));
            throw new Xunit.Sdk.XunitException($"{ex.Message}\nmetrics seen:\n{seen}");
        }
    }

    private static string Tail(string text) => text.Length > 20_000 ? text[^20_000..] : text;
}
