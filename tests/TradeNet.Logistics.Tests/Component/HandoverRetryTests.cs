using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>What the limit on wrong handover codes protects against is guessing distinct codes: the same wrong code sent
/// again (a carrier's app retrying after a 503 or a timeout, the driver typing it another way) is no new guess, while
/// distinct wrong codes still lock the shipment after <see cref="HandoverCodes.MaxWrong"/>, however they arrive.</summary>
public class HandoverRetryTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    /// <summary>Direct trips: leg 0 is carried by <c>A</c>, the town that gives it, to <c>B</c>; picked up.</summary>
    private async Task<(string A, string B, ShipmentView Leg, string Right)> PickedUpLegAsync()
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.Swap(trade, a, b));
        var leg = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Single(s => s.CarrierTown == a);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/pickup", TestSettings.TownAuth(a))).StatusCode);
        return (a, b, leg, await app.HandoverCodeAsync(leg.Id));
    }

    /// <summary><paramref name="count"/> distinct codes, none of them <paramref name="right"/>.</summary>
    public static string[] WrongCodes(string right, int count) =>
        [.. Enumerable.Range(0, count + 1).Select(i => $"AAAA-{i:D4}").Where(c => c != right).Take(count)];

    private Task<HttpResponseMessage> DeliverAsync(Guid shipment, string town, string? code) =>
        app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{shipment}/delivery", TestSettings.TownAuth(town),
            code is null ? null : new { handoverCode = code });

    private async Task<int> WrongCountAsync(Guid shipment) =>
        (await app.Services.GetRequiredService<ILogisticsStore>().WrongHandoverCodesAsync([shipment])).GetValueOrDefault(shipment);

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail!;

    [Fact]
    public async Task A_carrier_sending_the_same_wrong_code_again_however_typed_spends_one_guess_and_the_right_code_still_delivers()
    {
        var (a, _, leg, right) = await PickedUpLegAsync();
        var wrong = WrongCodes(right, 1)[0];
        // A retry after a lost answer, and the same code as a driver types it: lower case, no dash, spaces around.
        string[] sent = [.. Enumerable.Repeat(wrong, HandoverCodes.MaxWrong), wrong.ToLowerInvariant().Replace("-", ""), $" {wrong[..4]} {wrong[5..]} "];

        foreach (var code in sent)
        {
            var refused = await DeliverAsync(leg.Id, a, code);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains($"({HandoverCodes.MaxWrong - 1} more wrong codes", await DetailAsync(refused));
        }

        Assert.Equal(1, await WrongCountAsync(leg.Id));
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(leg.Id, a, right)).StatusCode);
        await app.PublishedAsync<ShipmentDelivered>(e => e.ShipmentId == leg.Id);
    }

    [Theory]
    [InlineData("pasted with a line break", "\t{0}\r\n")]
    [InlineData("autocorrected to an en dash", "{1}\u2013{2}")]
    [InlineData("with a no-break space", "{1}\u00A0{2}")]
    public async Task The_right_code_delivers_however_a_phone_or_a_paste_spaces_or_dashes_it(string how, string format)
    {
        var (a, _, leg, right) = await PickedUpLegAsync();

        var response = await DeliverAsync(leg.Id, a, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, right, right[..4], right[5..]));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{how}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Distinct_wrong_codes_still_lock_the_shipment_at_the_limit_and_a_code_already_tried_does_not_unlock_it()
    {
        var (a, b, leg, right) = await PickedUpLegAsync();
        var wrong = WrongCodes(right, HandoverCodes.MaxWrong);
        for (var i = 0; i < wrong.Length - 1; i++)
            Assert.Equal(HttpStatusCode.Forbidden, (await DeliverAsync(leg.Id, a, wrong[i])).StatusCode);
        // A repeat of one already tried takes none of the one guess left.
        Assert.Contains("(1 more wrong code and", await DetailAsync(await DeliverAsync(leg.Id, a, wrong[0])));

        var tenth = await DeliverAsync(leg.Id, a, wrong[^1]);
        var again = await DeliverAsync(leg.Id, a, wrong[^1]);
        var withTheRightCode = await DeliverAsync(leg.Id, a, right);

        Assert.Contains($"that was the {HandoverCodes.MaxWrong}th wrong one", await DetailAsync(tenth));
        // Once locked, every code gets the same answer, tried before or not, right or wrong: it tells nothing of either.
        var locked = await DetailAsync(again);
        Assert.Contains("no code is taken any more", locked);
        Assert.Equal(locked, await DetailAsync(withTheRightCode));
        Assert.Equal(HandoverCodes.MaxWrong, await WrongCountAsync(leg.Id));
        Assert.Equal(ShipmentStatus.PickedUp, (await app.ShipmentsOfTradeAsync(leg.TradeId, TestSettings.OperatorAuth())).Single(s => s.Id == leg.Id).Status);
        // The receiving town's own report is its receipt, lock or not.
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(leg.Id, b, null)).StatusCode);
    }

    [Fact]
    public async Task The_right_code_after_all_but_one_of_the_wrong_codes_allowed_delivers_once()
    {
        var (a, _, leg, right) = await PickedUpLegAsync();
        foreach (var code in WrongCodes(right, HandoverCodes.MaxWrong - 1))
            Assert.Equal(HttpStatusCode.Forbidden, (await DeliverAsync(leg.Id, a, code)).StatusCode);

        var delivered = await DeliverAsync(leg.Id, a, right);
        var again = await DeliverAsync(leg.Id, a, right);

        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode); // a repeat: the code proves nothing new and counts nothing
        Assert.Equal(HandoverCodes.MaxWrong - 1, await WrongCountAsync(leg.Id));
        await app.OutboxDrainedAsync();
        Assert.Single(app.Published<ShipmentDelivered>(e => e.ShipmentId == leg.Id));
    }

    [Fact]
    public async Task An_operator_reports_the_delivery_of_a_locked_shipment_without_a_code()
    {
        var (a, _, leg, right) = await PickedUpLegAsync();
        foreach (var code in WrongCodes(right, HandoverCodes.MaxWrong)) await DeliverAsync(leg.Id, a, code);

        var byOperator = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/delivery", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.OK, byOperator.StatusCode);
        await app.PublishedAsync<ShipmentDelivered>(e => e.ShipmentId == leg.Id);
    }

    [Fact]
    public async Task A_town_outside_the_shipment_gets_a_404_and_its_codes_are_no_guesses()
    {
        var (_, _, leg, right) = await PickedUpLegAsync();
        var (stranger, _, _) = Towns.Fresh();

        foreach (var code in WrongCodes(right, HandoverCodes.MaxWrong + 1))
            Assert.Equal(HttpStatusCode.NotFound, (await DeliverAsync(leg.Id, stranger, code)).StatusCode);

        Assert.Equal(0, await WrongCountAsync(leg.Id));
    }

    [Fact]
    public async Task Concurrent_reports_with_distinct_wrong_codes_and_the_right_one_never_count_past_the_limit_and_deliver_at_most_once()
    {
        var (a, _, leg, right) = await PickedUpLegAsync();
        var codes = WrongCodes(right, 2 * HandoverCodes.MaxWrong).Append(right).Append(right).ToArray();

        var answers = await Task.WhenAll(codes.Select(async code => (code, response: await DeliverAsync(leg.Id, a, code))));

        var delivered = answers.Where(x => x.response.StatusCode == HttpStatusCode.OK).ToList();
        Assert.All(answers, x => Assert.Contains(x.response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Forbidden }));
        Assert.All(delivered, x => Assert.Equal(right, x.code));
        // Each refusal reads as a wrong code with the guesses left, or as the lock: never anything of other reports' codes.
        foreach (var (_, response) in answers.Where(x => x.response.StatusCode == HttpStatusCode.Forbidden))
            Assert.Matches(@"\(\d+ more wrong codes? and only|that was the 10th wrong one|10 wrong handover codes were given for this shipment, so no code is taken any more",
                await DetailAsync(response));
        Assert.True(await WrongCountAsync(leg.Id) <= HandoverCodes.MaxWrong, $"{await WrongCountAsync(leg.Id)} wrong codes counted");
        await app.OutboxDrainedAsync();
        // Delivered once (the other right code answers as a repeat) or never, when the lock came first.
        Assert.Equal(delivered.Count == 0 ? 0 : 1, app.Published<ShipmentDelivered>(e => e.ShipmentId == leg.Id).Count);
        var status = (await app.ShipmentsOfTradeAsync(leg.TradeId, TestSettings.OperatorAuth())).Single(s => s.Id == leg.Id).Status;
        Assert.Equal(delivered.Count == 0 ? ShipmentStatus.PickedUp : ShipmentStatus.Delivered, status);
        if (status == ShipmentStatus.PickedUp) Assert.Equal(HandoverCodes.MaxWrong, await WrongCountAsync(leg.Id));
    }

    [Fact]
    public async Task Concurrent_retries_of_the_same_wrong_code_count_it_once()
    {
        var (a, _, leg, right) = await PickedUpLegAsync();
        var wrong = WrongCodes(right, 1)[0];

        var answers = await Task.WhenAll(Enumerable.Range(0, 2 * HandoverCodes.MaxWrong).Select(_ => DeliverAsync(leg.Id, a, wrong)));

        Assert.All(answers, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal(1, await WrongCountAsync(leg.Id));
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(leg.Id, a, right)).StatusCode);
    }
}
