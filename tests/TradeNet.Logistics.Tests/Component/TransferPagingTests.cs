using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TradeNet.Logistics.Api;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary><c>GET /api/logistics/transfers?status=</c> pages as the other lists do (<c>limit</c>, <c>after</c>,
/// <c>Link: next</c>): it used to stop at the oldest 500 with nothing saying more were left, so an operator could not
/// reach the rest of a bad day's held legs.</summary>
public sealed partial class TransferPagingTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    /// <summary>Follows the <c>Link: rel="next"</c> headers; the ids in order, and how many pages.</summary>
    private async Task<(List<Guid> Ids, int Pages)> ReadPagesAsync(string first)
    {
        var (ids, pages, next) = (new List<Guid>(), 0, (string?)first);
        while (next is not null)
        {
            var response = await app.SendAsync(HttpMethod.Get, next, TestSettings.OperatorAuth());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.AddRange((await response.Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!.Select(t => t.Id));
            pages++;
            next = response.Headers.TryGetValues("Link", out var links) ? NextLink().Match(links.Single()).Groups[1].Value : null;
        }
        return (ids, pages);
    }

    [GeneratedRegex("^<([^>]+)>; rel=\"next\"$")]
    private static partial Regex NextLink();

    [Fact]
    public async Task An_operator_reads_every_transfer_in_a_status_page_by_page_oldest_first()
    {
        // No fleet here: each agreed leg is planned at once as a direct trip, so these transfers are all planned.
        for (var i = 0; i < 3; i++)
        {
            var (a, b, _) = Towns.Fresh();
            await app.PublishAsync(Towns.Swap(Guid.NewGuid(), a, b));
        }
        var all = (await (await app.SendAsync(HttpMethod.Get, "/api/logistics/transfers?status=planned&limit=1000", TestSettings.OperatorAuth()))
            .Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!;

        var (seen, pages) = await ReadPagesAsync("/api/logistics/transfers?status=planned&limit=2");

        Assert.True(all.Length >= 6, $"six legs were agreed, {all.Length} planned transfers listed");
        Assert.Equal(all.Select(t => t.Id), seen);
        Assert.Equal((all.Length + 1) / 2, pages); // pages of 2, the last with no Link even when full
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("after=not-a-transfer", "after")]
    [InlineData("after=6f1c2a3b-0000-4000-8000-000000000000", "after")]
    public async Task A_bad_limit_or_an_unknown_after_is_a_400_naming_it(string query, string field)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/transfers?status=held&{query}", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem}");
    }

    [Fact]
    public async Task A_status_is_read_trimmed_and_in_any_case_as_the_shipments_filter_reads_it()
    {
        var response = await app.SendAsync(HttpMethod.Get, "/api/logistics/transfers?status=%20Held%20", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
