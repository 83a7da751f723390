using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

/// <summary>A tiny service built on the shared defaults: auth, ProblemDetails, health.</summary>
public sealed class ServiceDefaultsTests : IAsyncLifetime
{
    private readonly TestSettings _settings = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    private sealed record Thing(string Name, int Count);

    private sealed record Window(DateTimeOffset? Until);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(_settings.Configuration());
        builder.AddServiceDefaults("test");
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapPost("/things", (Thing thing, HttpContext http) => TypedResults.Ok(new { thing.Name, caller = http.User.TownId() }))
            .RequireAuthorization(Policies.Town);
        _app.MapPost("/ops", () => TypedResults.Ok()).RequireAuthorization(Policies.Operator);
        _app.MapGet("/boom", string () => throw new InvalidOperationException("secret internals"));
        _app.MapGet("/race", string () => throw new RecordChangedMeanwhile("row 7 of secret_table"));
        _app.MapPost("/windows", (Window window) => TypedResults.Ok(new { until = window.Until, utc = window.Until?.ToUniversalTime() }));
        _app.MapGet("/invalid", () => Problems.Field("name", "is required"));
        // A leg's quantity is a value divided by a price: float noise the answer should not show.
        _app.MapGet("/leg", (double value, double price) => TypedResults.Ok(new { quantity = value / price, value, lat = 46.0443 }));
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    [Fact]
    public async Task A_valid_town_token_identifies_the_town()
    {
        var response = await Send("/things", new Thing("x", 1), TestSettings.TownAuth("42187"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("42187", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_missing_expired_or_forged_token_gets_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/things", new Thing("x", 1), null)).StatusCode);
        var expired = TestSettings.TokenFor("42187", Roles.Town, TimeSpan.FromSeconds(-30));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/things", new Thing("x", 1), new("Bearer", expired))).StatusCode);
        var forged = TestSettings.TokenFor("42187", Roles.Town, key: "another-key-that-is-long-enough-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/things", new Thing("x", 1), new("Bearer", forged))).StatusCode);
    }

    [Fact]
    public async Task A_token_signed_with_the_right_key_but_living_for_years_or_naming_no_caller_gets_401()
    {
        var now = DateTime.UtcNow;
        var forYears = Token(new Dictionary<string, object> { ["sub"] = "42187", ["role"] = Roles.Town }, now, now.AddYears(10));
        var noSubject = Token(new Dictionary<string, object> { ["role"] = Roles.Town }, now, now.AddMinutes(1));
        var noIssueTime = Token(new Dictionary<string, object> { ["sub"] = "42187", ["role"] = Roles.Town }, null, now.AddMinutes(1));
        var asIssued = Token(new Dictionary<string, object> { ["sub"] = "42187", ["role"] = Roles.Town }, now, now.AddMinutes(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/things", new Thing("x", 1), new("Bearer", forYears))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/things", new Thing("x", 1), new("Bearer", noSubject))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/things", new Thing("x", 1), new("Bearer", noIssueTime))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("/things", new Thing("x", 1), new("Bearer", asIssued))).StatusCode);
    }

    [Fact]
    public async Task A_token_whose_issue_time_is_in_the_future_gets_401_since_it_would_outlive_ten_minutes()
    {
        // Issued "in a year", valid from now: its issue-to-expiry span is a minute, its use a year and a minute.
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["sub"] = "42187", ["role"] = Roles.Town };
        var predated = Token(claims, now.AddYears(1), now.AddYears(1).AddMinutes(1), notBefore: now.AddSeconds(-5));
        // Within the clock skew services allow (a gateway's clock a little ahead) it is still the gateway's own token.
        var slightlyAhead = Token(claims, now.AddSeconds(2), now.AddMinutes(1), notBefore: now.AddSeconds(-3));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/things", new Thing("x", 1), new("Bearer", predated))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("/things", new Thing("x", 1), new("Bearer", slightlyAhead))).StatusCode);
    }

    private static string Token(Dictionary<string, object> claims, DateTime? issuedAt, DateTime expires, DateTime? notBefore = null) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
            {
                Issuer = InternalTokenOptions.Issuer,
                Audience = InternalTokenOptions.Audience,
                Claims = claims,
                IssuedAt = issuedAt,
                NotBefore = notBefore ?? (issuedAt ?? DateTime.UtcNow).AddSeconds(-5),
                Expires = expires,
                SigningCredentials = new(new InternalTokenOptions { InternalTokenKey = TestSettings.TokenKey }.SigningKey(),
                    Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
            });

    [Theory]
    [InlineData("short", null, "Auth:InternalTokenKey")]
    [InlineData(null, "00:00:00", "Auth:Lifetime")]
    [InlineData(null, "1.00:00:00", "Auth:Lifetime")]
    public async Task A_service_without_a_usable_token_key_or_lifetime_stops_at_start_naming_the_setting(string? key, string? lifetime, string setting)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(_settings.Configuration());
        if (key is not null) builder.Configuration["Auth:InternalTokenKey"] = key;
        if (lifetime is not null) builder.Configuration["Auth:Lifetime"] = lifetime;
        builder.AddServiceDefaults("test");
        await using var app = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(setting, failure.Message);
    }

    [Theory]
    [InlineData("00:15:00", false)]
    [InlineData("23:59:00", false)]
    [InlineData("1.00:00:00", true)]
    [InlineData("0", true)]
    public async Task An_inbox_memory_shorter_than_a_day_stops_the_service_at_start(string retention, bool starts)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(_settings.Configuration());
        builder.Configuration["Storage:InboxRetention"] = retention == "0" ? "00:00:00" : retention;
        builder.AddServiceDefaults("test");
        await using var app = builder.Build();

        if (starts)
        {
            await app.StartAsync();
            await app.StopAsync();
            return;
        }
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Storage:InboxRetention", failure.Message);
    }

    [Theory]
    [InlineData("Storage:Backups:Every", "00:00:30", false)]
    [InlineData("Storage:Backups:Every", "00:01:00", true)]
    [InlineData("Storage:Backups:Every", "00:00:00", true)]
    // A negative period took no backup ever, silently, as if unset: the operator who set it expected some.
    [InlineData("Storage:Backups:Every", "-06:00:00", false)]
    [InlineData("Storage:Backups:Keep", "-1", false)]
    [InlineData("Storage:Backups:Keep", "7", true)]
    public async Task A_backup_period_under_a_minute_or_a_negative_count_to_keep_stops_the_service_at_start(string setting, string value, bool starts)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(_settings.Configuration());
        builder.Configuration[setting] = value;
        builder.AddServiceDefaults("test");
        await using var app = builder.Build();

        if (starts)
        {
            await app.StartAsync();
            await app.StopAsync();
            return;
        }
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(setting, failure.Message);
    }

    [Fact]
    public async Task A_town_cannot_use_an_operator_route()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Send("/ops", new { }, TestSettings.TownAuth("42187"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("/ops", new { }, TestSettings.OperatorAuth())).StatusCode);
    }

    [Fact]
    public async Task A_missing_credential_is_a_401_problem_saying_to_send_the_api_key()
    {
        var response = await Send("/things", new Thing("x", 1), null);

        Assert.Contains("X-Api-Key", await ProblemDetailAsync(response, HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task An_api_key_sent_to_a_service_directly_is_told_to_go_through_the_gateway_not_to_send_the_key()
    {
        // The gateway removes X-Api-Key before forwarding, so a service that sees one was called at its own address
        // (the standalone host's services port, say): "send it in the X-Api-Key header" told a caller who had.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/things") { Content = JsonContent.Create(new Thing("x", 1)) };
        request.Headers.Add("X-Api-Key", "tn_whatever");

        var detail = await ProblemDetailAsync(await _client.SendAsync(request), HttpStatusCode.Unauthorized);

        Assert.Contains("gateway", detail);
        Assert.DoesNotContain("send it in the X-Api-Key header", detail);
    }

    [Fact]
    public async Task A_route_for_another_role_is_a_403_problem_saying_whom_it_is_for_and_what_the_key_is()
    {
        var town = await (await Send("/ops", new { }, TestSettings.TownAuth("42187"))).Content.ReadFromJsonAsync<JsonElement>();
        var op = await (await Send("/things", new Thing("x", 1), TestSettings.OperatorAuth())).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("This route is for operators; your API key is a town's.", town.GetProperty("detail").GetString());
        Assert.Equal("This route is for towns; your API key is an operator's.", op.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_browser_asking_for_html_still_gets_problems_as_json()
    {
        using var missing = new HttpRequestMessage(HttpMethod.Get, "/nowhere");
        missing.Headers.Accept.ParseAdd("text/html");
        using var broken = new HttpRequestMessage(HttpMethod.Post, "/things")
        {
            Content = new StringContent("{\"name\":\"x\",\"count\":\"many\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        broken.Headers.Accept.ParseAdd("text/html");
        broken.Headers.Authorization = TestSettings.TownAuth("42187");

        var notFound = await _client.SendAsync(missing);
        var badRequest = await _client.SendAsync(broken);

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("application/problem+json", notFound.Content.Headers.ContentType?.MediaType);
        Assert.Equal("No route matches this path.", (await notFound.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badRequest.StatusCode);
        Assert.Equal("Field 'count' has an invalid value.", (await badRequest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        using var invalid = new HttpRequestMessage(HttpMethod.Get, "/invalid");
        invalid.Headers.Accept.ParseAdd("text/html");
        var validation = await (await _client.SendAsync(invalid)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(validation.TryGetProperty("errors", out _), "a validation problem keeps its errors");
    }

    [Fact]
    public async Task An_unknown_path_and_a_wrong_method_are_problems_that_say_so()
    {
        var missing = await _client.GetAsync("/nowhere");
        var wrongMethod = await _client.DeleteAsync("/things");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("No route matches this path.",
            (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Contains("Allow header", (await wrongMethod.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"name":"x","count":"many"}""", "Field 'count' has an invalid value.")]
    [InlineData("""{"name":"x","count":1,"count":2}""", "Field 'count' is given more than once.")]
    [InlineData("""{"name":"x","count":"1"}""", "Field 'count' has an invalid value.")] // numbers are read strictly
    [InlineData("""{"name":"x","count":"-1"}""", "Field 'count' has an invalid value.")]
    [InlineData("""{"name":"x","count":1,"cuont":2}""", "Field 'cuont' is not part of this request; check its name.")]
    [InlineData("{\"name\":\"x\",\"a\\u202Eb<script>\":2}", "The request has a field it does not take; check the field names.")]
    [InlineData("""{"name":"x","<img src=x onerror=alert(1)>":2}""", "The request has a field it does not take; check the field names.")]
    public async Task Malformed_json_gets_a_400_problem_naming_the_field(string body, string detail)
    {
        var response = await PostThingAsTownAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"name":"x","count":"many"}""", "count", "has an invalid value")]
    [InlineData("""{"name":"x","count":true}""", "count", "has an invalid value")]
    [InlineData("""{"name":"x","count":[]}""", "count", "has an invalid value")]
    [InlineData("""{"name":"x","count":1,"count":2}""", "count", "is given more than once")]
    [InlineData("""{"name":"x","count":1,"cuont":2}""", "cuont", "is not part of this request; check its name")]
    public async Task A_body_failing_on_one_field_names_it_in_errors_as_a_range_check_would(string body, string field, string error)
    {
        var response = await PostThingAsTownAsync(body);

        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], errors.EnumerateObject().Select(p => p.Name));
        Assert.Equal([error], errors.GetProperty(field).EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("""{"name":"x","count":1""")]
    [InlineData("[]")]
    [InlineData("")]
    [InlineData("{\"name\":\"x\",\"a\\u202Eb<script>\":2}")]
    public async Task A_body_failing_as_a_whole_or_on_a_name_not_fit_to_repeat_has_no_errors_entry(string body)
    {
        var response = await PostThingAsTownAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("errors", out _));
    }

    [Theory]
    [InlineData("""{"name":"x","count":1""", "line 1, byte 22")]
    [InlineData("{\n\"name\":\"x\",,}", "line 2, byte 12")]
    public async Task Broken_json_is_a_400_problem_saying_where_it_breaks_not_blaming_a_field(string body, string where)
    {
        var response = await PostThingAsTownAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.StartsWith("The request body is not valid JSON", detail);
        Assert.Contains(where, detail);
        Assert.DoesNotContain("Field", detail);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"thing\"")]
    [InlineData("5")]
    public async Task Well_formed_json_that_is_not_an_object_is_a_400_problem_asking_for_an_object(string body)
    {
        var response = await PostThingAsTownAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The request body must be a JSON object.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    public async Task A_missing_empty_or_null_body_is_a_400_problem_saying_the_body_is_missing(string? body)
    {
        var response = await PostThingAsTownAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("body is missing", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    public async Task A_body_that_is_not_json_is_a_415_problem_saying_json_is_expected(string contentType)
    {
        var response = await PostThingAsTownAsync("""{"name":"x","count":1}""", contentType);

        Assert.Contains("application/json", await ProblemDetailAsync(response, HttpStatusCode.UnsupportedMediaType));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("utf8")]
    [InlineData("windows-1252")]
    [InlineData("us-ascii")]
    [InlineData("iso-8859-1")]
    [InlineData("utf-16")]
    // Dropping only the first charset left the framework the second to read the body in: "Café" was stored as "Caf??".
    [InlineData("utf-8; charset=us-ascii")]
    public async Task A_json_body_in_any_charset_but_utf_8_is_a_415_problem_asking_for_utf_8(string charset)
    {
        var response = await PostWithCharsetAsync(charset);

        Assert.Contains("UTF-8", await ProblemDetailAsync(response, HttpStatusCode.UnsupportedMediaType));
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("UTF-8")]
    [InlineData("\"utf-8\"")]
    public async Task A_json_body_that_says_it_is_utf_8_quoted_or_not_is_read(string charset) =>
        Assert.Equal(HttpStatusCode.OK, (await PostWithCharsetAsync(charset)).StatusCode);

    private Task<HttpResponseMessage> PostWithCharsetAsync(string charset)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/things")
        {
            Content = new ByteArrayContent("""{"name":"Café","count":1}"""u8.ToArray()),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");
        request.Headers.Authorization = TestSettings.TownAuth("42187");
        return _client.SendAsync(request);
    }

    [Theory]
    [InlineData("2027-07-01T10:00:00", "has no time zone")]
    [InlineData("soon", "must be a time")]
    public async Task A_time_without_its_zone_is_a_400_naming_the_field_and_saying_why(string time, string says)
    {
        var response = await Send("/windows", new { until = time }, TestSettings.TownAuth("42187"));

        var detail = await ProblemDetailAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("'until'", detail);
        Assert.Contains(says, detail);
    }

    [Fact]
    public async Task A_time_with_its_zone_is_read_as_that_instant_and_written_back_as_before()
    {
        var response = await Send("/windows", new { until = "2027-07-01T10:00:00+02:00" }, TestSettings.TownAuth("42187"));

        Assert.Equal("""{"until":"2027-07-01T10:00:00+02:00","utc":"2027-07-01T08:00:00+00:00"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unexpected_error_is_a_500_problem_without_internals()
    {
        var response = await _client.GetAsync("/boom");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret internals", body);
        Assert.Contains("\"status\":500", body);
    }

    [Fact]
    public async Task A_write_that_lost_every_retry_to_another_writer_is_a_409_asking_to_try_again_without_internals()
    {
        var response = await _client.GetAsync("/race");

        var detail = await ProblemDetailAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("Try again", detail);
        Assert.DoesNotContain("secret_table", await response.Content.ReadAsStringAsync());
    }

    private sealed class RecordChangedMeanwhile(string message) : TradeNet.Shared.Storage.WriteConflictException(message);

    [Fact]
    public async Task Numbers_in_answers_show_no_float_noise_and_keep_what_they_carry()
    {
        // 0.7 / 0.07 is 9.999999999999998 in doubles; 1 / 3 keeps twelve digits.
        Assert.Equal("""{"quantity":10,"value":0.7,"lat":46.0443}""", await _client.GetStringAsync("/leg?value=0.7&price=0.07"));
        Assert.Equal("""{"quantity":0.333333333333,"value":1,"lat":46.0443}""", await _client.GetStringAsync("/leg?value=1&price=3"));
        // A big quantity keeps seven decimals, finer than the 1e-6 the quantity checks allow.
        Assert.Equal("""{"quantity":123456789.1234568,"value":123456789.1234568,"lat":46.0443}""",
            await _client.GetStringAsync("/leg?value=123456789.12345678&price=1"));
    }

    [Fact]
    public async Task Health_and_alive_answer_without_credentials()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public void A_service_takes_a_longer_request_line_and_more_headers_than_the_edge_so_all_the_edge_forwards_fits()
    {
        var limits = _app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.True(limits.MaxRequestLineSize >= 3 * RequestHeadLimits.MaxRequestLineBytes, "every URL byte may arrive percent-encoded");
        Assert.True(limits.MaxRequestHeadersTotalSize > RequestHeadLimits.MaxHeaderBytes, "the edge adds headers of its own");
        Assert.True(limits.MaxRequestHeaderCount > RequestHeadLimits.MaxHeaderCount, "the edge adds headers of its own");
    }

    private Task<HttpResponseMessage> Send(string path, object body, AuthenticationHeaderValue? auth)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = auth;
        return _client.SendAsync(request);
    }

    /// <summary>The detail of a ProblemDetails answer with that status.</summary>
    private static async Task<string?> ProblemDetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
    }

    /// <summary>A body sent as it is (null: none), as a town.</summary>
    private Task<HttpResponseMessage> PostThingAsTownAsync(string? body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/things")
        {
            Content = body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, contentType),
        };
        request.Headers.Authorization = TestSettings.TownAuth("42187");
        return _client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _settings.Dispose();
    }
}
