using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

public class PathIdTests
{
    private static readonly string Known = Guid.NewGuid().ToString();

    [Theory]
    [InlineData("operator", "GET", "/api/matching/rounds/not-a-guid", "id")]
    [InlineData("operator", "GET", "/api/matching/trades/not-a-guid", "id")]
    [InlineData("town", "GET", "/api/matching/trades/12345", "id")]
    [InlineData("operator", "POST", "/api/matching/trades/not-a-guid/cancel", "id")]
    [InlineData("town", "POST", "/api/matching/trades/not-a-guid/accept", "id")]
    [InlineData("town", "POST", "/api/matching/trades/not-a-guid/reject", "id")]
    [InlineData("town", "POST", "/api/matching/trades/not-a-guid/legs/0/accept", "id")]
    [InlineData("town", "POST", "/api/matching/trades/{known}/legs/x/accept", "index")]
    [InlineData("town", "POST", "/api/matching/trades/{known}/legs/-1/reject", "index")]
    [InlineData("town", "POST", "/api/matching/trades/{known}/legs/99999999999/accept", "index")]
    public async Task A_malformed_id_or_leg_index_in_the_path_is_a_400_naming_it(string caller, string method, string path, string field)
    {
        await using var host = new MatchingHost();

        var response = await SendAsync(host, caller, method, path.Replace("{known}", Known));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Equal([field], problem.Errors.Keys);
    }

    [Theory]
    [InlineData(null, "GET", "/api/matching/rounds/not-a-guid", HttpStatusCode.Unauthorized)]
    [InlineData(null, "GET", "/api/matching/trades/not-a-guid", HttpStatusCode.Unauthorized)]
    [InlineData(null, "POST", "/api/matching/trades/not-a-guid/cancel", HttpStatusCode.Unauthorized)]
    [InlineData(null, "POST", "/api/matching/trades/{known}/legs/x/accept", HttpStatusCode.Unauthorized)]
    [InlineData("town", "GET", "/api/matching/rounds/not-a-guid", HttpStatusCode.Forbidden)]
    [InlineData("town", "POST", "/api/matching/trades/not-a-guid/cancel", HttpStatusCode.Forbidden)]
    [InlineData("operator", "POST", "/api/matching/trades/not-a-guid/accept", HttpStatusCode.Forbidden)]
    [InlineData("operator", "POST", "/api/matching/trades/{known}/legs/x/reject", HttpStatusCode.Forbidden)]
    public async Task The_caller_is_checked_before_the_path_so_a_malformed_id_still_gets_401_or_403(
        string? caller, string method, string path, HttpStatusCode expected)
    {
        await using var host = new MatchingHost();

        var response = await SendAsync(host, caller, method, path.Replace("{known}", Known));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_huge_malformed_id_is_not_echoed_back()
    {
        await using var host = new MatchingHost();
        var huge = new string('x', 2000);

        var response = await SendAsync(host, "operator", "GET", $"/api/matching/trades/{huge}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(huge, await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> SendAsync(MatchingHost host, string? caller, string method, string path)
    {
        AuthenticationHeaderValue? auth = caller switch
        {
            "town" => TestSettings.TownAuth(Swap.A),
            "operator" => TestSettings.OperatorAuth(),
            _ => null,
        };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        // The cancel route reads a body; a valid one keeps the test on the path.
        if (path.EndsWith("/cancel")) request.Content = JsonContent.Create(new { reason = "stuck" });
        return await host.As(auth).SendAsync(request);
    }
}
