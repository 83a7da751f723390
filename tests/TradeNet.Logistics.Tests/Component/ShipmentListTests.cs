using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary><c>GET /api/logistics/shipments</c> filters by <c>status</c> and <c>overdue</c> and pages (<c>limit</c>,
/// <c>after</c>, <c>Link: next</c>): it used to answer the newest 500 of everything, so an operator looking for a carrier
/// gone quiet read every shipment by eye and never saw past the 500th.</summary>
/// <remarks>A host per test: the overdue test plans "yesterday" on its own clock.</remarks>
public sealed partial class ShipmentListTests : IDisposable
{
    private readonly ShiftedClock clock = new();
    private readonly LogisticsApp app;

    public ShipmentListTests() => app = new LogisticsApp { TestServices = s => s.AddSingleton<TimeProvider>(clock) };

    public void Dispose() => app.Dispose();

    private async Task<(HttpResponseMessage Response, ShipmentView[] Shipments)> ListAsync(string query, AuthenticationHeaderValue auth)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/shipments{query}", auth);
        return (response, response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<ShipmentView[]>(LogisticsApp.Json))! : []);
    }

    /// <summary>No fleet: each leg is a direct trip by its giving town, planned as the trade is agreed.</summary>
    private async Task<ShipmentView[]> AgreeAsync(string a, string b, TimeSpan? ago = null)
    {
        var trade = Guid.NewGuid();
        clock.Shift = -(ago ?? TimeSpan.Zero);
        try
        {
            await app.PublishAsync(Towns.Swap(trade, a, b));
        }
        finally
        {
            clock.Shift = TimeSpan.Zero;
        }
        return [.. (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).OrderBy(s => s.LegIndex)];
    }

    private async Task PickUpAsync(ShipmentView shipment) =>
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{shipment.Id}/pickup",
            TestSettings.TownAuth(shipment.CarrierTown))).StatusCode);

    [Fact]
    public async Task A_status_lists_only_the_shipments_in_it_and_a_town_still_sees_only_its_own()
    {
        var (a, b, c) = Towns.Fresh();
        var ab = await AgreeAsync(a, b);
        var bc = await AgreeAsync(b, c);
        await PickUpAsync(ab[0]);
        await PickUpAsync(bc[1]);

        var (_, pickedUpForA) = await ListAsync("?status=pickedUp", TestSettings.TownAuth(a));
        var (_, plannedForA) = await ListAsync("?status=PLANNED", TestSettings.TownAuth(a));
        var (_, pickedUpForAll) = await ListAsync("?status=pickedUp", TestSettings.OperatorAuth());

        Assert.Equal([ab[0].Id], pickedUpForA.Select(s => s.Id));
        Assert.Equal([ab[1].Id], plannedForA.Select(s => s.Id));
        Assert.Equal(new[] { bc[1].Id, ab[0].Id }, pickedUpForAll.Select(s => s.Id)); // newest first
        Assert.All(pickedUpForAll, s => Assert.Equal(ShipmentStatus.PickedUp, s.Status));
    }

    [Fact]
    public async Task Overdue_lists_the_shipments_due_before_now_that_are_still_planned_or_picked_up()
    {
        var (a, b, c) = Towns.Fresh();
        var late = await AgreeAsync(a, b, ago: TimeSpan.FromDays(1));
        var onTime = await AgreeAsync(a, c);
        await PickUpAsync(late[0]);
        await PickUpAsync(late[1]);
        Assert.Equal(HttpStatusCode.OK, (await app.DeliverAsync(late[1].Id, late[1].CarrierTown)).StatusCode);

        var (_, overdue) = await ListAsync("?overdue=true", TestSettings.TownAuth(a));
        var (_, overduePlanned) = await ListAsync("?overdue=true&status=planned", TestSettings.TownAuth(a));
        var (_, overdueDelivered) = await ListAsync("?overdue=true&status=delivered", TestSettings.OperatorAuth());
        var (_, notFiltered) = await ListAsync("?overdue=false", TestSettings.TownAuth(a));

        Assert.Equal([late[0].Id], overdue.Select(s => s.Id));
        Assert.True(overdue[0].Eta < DateTimeOffset.UtcNow);
        Assert.Empty(overduePlanned);
        Assert.Empty(overdueDelivered);
        Assert.Equal(onTime.Concat(late).Select(s => s.Id).Order(), notFiltered.Select(s => s.Id).Order());
    }

    [Fact]
    public async Task A_town_reads_its_shipments_page_by_page_newest_first_as_in_one_long_page()
    {
        var (a, b, c) = Towns.Fresh();
        for (var i = 0; i < 3; i++) await AgreeAsync(a, i % 2 == 0 ? b : c);
        await AgreeAsync(b, c); // not a's
        var (_, whole) = await ListAsync("?limit=1000", TestSettings.TownAuth(a));

        var (ids, pages, next) = (new List<Guid>(), 0, (string?)"/api/logistics/shipments?status=planned&limit=4");
        while (next is not null)
        {
            var response = await app.SendAsync(HttpMethod.Get, next, TestSettings.TownAuth(a));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.AddRange((await response.Content.ReadFromJsonAsync<ShipmentView[]>(LogisticsApp.Json))!.Select(s => s.Id));
            pages++;
            next = response.Headers.TryGetValues("Link", out var links) ? NextLink().Match(links.Single()).Groups[1].Value : null;
        }

        Assert.Equal(6, whole.Length);
        Assert.Equal(whole.Select(s => s.Id), ids);
        Assert.Equal(2, pages); // a full page of 4 links to a short page of 2, which links nowhere
        Assert.Equal(whole.OrderByDescending(s => s.CreatedAt).Select(s => s.CreatedAt), whole.Select(s => s.CreatedAt));
    }

    [GeneratedRegex("^<([^>]+)>; rel=\"next\"$")]
    private static partial Regex NextLink();

    [Fact]
    public async Task After_must_be_a_shipment_the_caller_may_read()
    {
        var (a, b, c) = Towns.Fresh();
        var ab = await AgreeAsync(a, b);
        var bc = await AgreeAsync(b, c);

        var (own, _) = await ListAsync($"?after={ab[1].Id}", TestSettings.TownAuth(a));
        var (others, _) = await ListAsync($"?after={bc[0].Id}", TestSettings.TownAuth(a));
        var (operatorReads, _) = await ListAsync($"?after={bc[0].Id}", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, others.StatusCode);
        Assert.Equal(HttpStatusCode.OK, operatorReads.StatusCode);
    }

    [Theory]
    [InlineData("status=lost", "status", "planned, pickedUp, delivered, failed, cancelled")]
    [InlineData("status=1", "status", "planned, pickedUp")]
    [InlineData("status=planned,failed", "status", "planned")]
    [InlineData("overdue=yes", "overdue", "true or false")]
    [InlineData("limit=0", "limit", "1")]
    [InlineData("limit=1001", "limit", "1000")]
    [InlineData("after=not-a-shipment", "after", "shipment")]
    [InlineData("after=6f1c2a3b-0000-4000-8000-000000000000", "after", "shipment")]
    public async Task A_bad_filter_or_page_parameter_is_a_400_naming_it(string query, string field, string says)
    {
        var (response, _) = await ListAsync($"?{query}", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var errors), $"errors should name '{field}': {problem}");
        Assert.Contains(says, errors[0].GetString());
    }

    [Fact]
    public async Task The_document_describes_each_filter_and_page_parameter_of_the_list()
    {
        var document = await ApiDocument.FetchAsync(app.CreateClient(), "logistics");
        var parameters = document.Operation("GET", "/api/logistics/shipments").GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!);

        Assert.Equal(["after", "limit", "overdue", "status", "trade"], parameters.Keys.Order());
        Assert.All(parameters.Values, p => Assert.Equal("query", p.GetProperty("in").GetString()));
        Assert.All(parameters.Values, p => Assert.False(string.IsNullOrEmpty(p.GetProperty("description").GetString())));
        Assert.Equal(["planned", "pickedUp", "delivered", "failed", "cancelled"],
            parameters["status"].GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("boolean", parameters["overdue"].GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("integer", parameters["limit"].GetProperty("schema").GetProperty("type").GetString());
    }
}
