using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

public class ApiDocumentTests
{
    private static async Task<ApiDocument> DocumentAsync(MatchingHost host) => await ApiDocument.FetchAsync(host.CreateClient(), "matching");

    [Fact]
    public async Task Every_matching_route_asks_for_the_API_key_and_answers_401_without_one()
    {
        await using var host = new MatchingHost();
        var document = await DocumentAsync(host);

        Assert.Equal("X-Api-Key", document.SecurityScheme(ApiDocument.ApiKeyScheme).GetProperty("name").GetString());
        Assert.All(document.Operations(), o => Assert.Equal([ApiDocument.ApiKeyScheme], document.Security(o.Method, o.Path)));
        Assert.Empty(await document.KeyDisagreementsAsync(host.CreateClient()));
    }

    [Fact]
    public async Task Each_route_lists_the_statuses_it_answers_with()
    {
        await using var host = new MatchingHost();
        var document = await DocumentAsync(host);

        // Accepting may reserve through catalog: 503 while it is unreachable, 502 when it fails; rejecting never asks it.
        // Every writing route may answer 503 while the storage is busy or failing.
        Assert.Equal([200, 400, 401, 403, 404, 409, 502, 503], document.Statuses("POST", "/api/matching/trades/{id}/accept"));
        Assert.Equal([200, 400, 401, 403, 404, 409, 502, 503], document.Statuses("POST", "/api/matching/trades/{id}/legs/{index}/accept"));
        Assert.Equal([200, 400, 401, 403, 404, 409, 503], document.Statuses("POST", "/api/matching/trades/{id}/legs/{index}/reject"));
        // Cancelling an agreed trade asks logistics to stop its goods first: 503 while it is unreachable, 502 when it fails.
        Assert.Equal([200, 400, 401, 403, 404, 409, 413, 415, 502, 503], document.Statuses("POST", "/api/matching/trades/{id}/cancel"));
        Assert.Equal([201, 401, 403, 409, 503], document.Statuses("POST", "/api/matching/rounds"));
        // Open to towns and operators, the only roles the edge gives a key: the policy turns none away.
        Assert.Equal([200, 400, 401, 404], document.Statuses("GET", "/api/matching/trades/{id}"));
        Assert.Equal(["application/problem+json"], document.ContentTypes("POST", "/api/matching/trades/{id}/accept", 503));
    }

    [Fact]
    public async Task A_cancellation_requires_its_reason_and_as_a_string_not_null()
    {
        await using var host = new MatchingHost();
        var document = await DocumentAsync(host);

        Assert.Equal(["reason"], document.Required("CancelTradeRequest"));
        Assert.Equal(["string"], document.PropertyTypes("CancelTradeRequest", "reason"));
    }

    [Fact]
    public async Task A_cancellation_body_is_required_though_its_handler_takes_it_as_nullable_to_name_a_missing_reason()
    {
        await using var host = new MatchingHost();

        (await DocumentAsync(host)).AssertEveryBodyRequired();
    }

    [Fact]
    public async Task Every_number_in_the_document_has_a_number_or_integer_type()
    {
        await using var host = new MatchingHost();
        var document = await DocumentAsync(host);

        Assert.Empty(document.NumbersWithoutType());
        Assert.Equal(["number"], document.PropertyTypes("LegView", "quantity"));
    }
}
