using System.Net;
using TradeNet.Contracts;
using TradeNet.Logistics.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.EventOrder;

/// <summary>
/// The event-order hunt over one town's standing, as catalog emits it (TownSuspensions: suspended, reinstated, suspended
/// again, reinstated again, each with catalog's time): every order, each twice. The decision with the latest time wins
/// (<c>TownStanding</c>), whatever arrives first; a van registered before all of them is withdrawn in every order, as the
/// first suspension withdraws it in order; and the town's next registration is refused exactly when the last decision was
/// a suspension.
/// </summary>
public class TownEventOrderTests
{
    private static object[] Sequence(string town, DateTimeOffset start, int count) =>
        Enumerable.Range(1, count).Select(i => i % 2 == 1
            ? (object)new TownSuspended(town, $"suspension {i}", start.AddMinutes(i), [])
            : new TownReinstated(town, start.AddMinutes(i))).ToArray();

    private static Task DeliverAsync(EventDelivery delivery, object message, Guid? id = null) => message switch
    {
        TownSuspended s => delivery.DeliverAsync(s, id),
        TownReinstated r => delivery.DeliverAsync(r, id),
        _ => throw new ArgumentOutOfRangeException(nameof(message)),
    };

    private static string Describe(object message) => message switch
    {
        TownSuspended s => $"suspended ({s.Reason})",
        TownReinstated r => "reinstated",
        _ => message.GetType().Name,
    };

    private static async Task<string> StandingAsync(LogisticsApp app, string town, string earlyVan)
    {
        var early = await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{earlyVan}", TestSettings.OperatorAuth());
        var register = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(town), Fleet.Van(Towns.Roanne));
        return $"early van {(int)early.StatusCode}, new van {(int)register.StatusCode}";
    }

    [Theory]
    [InlineData(3, "early van 404, new van 403")]
    [InlineData(4, "early van 404, new van 201")]
    public async Task A_towns_suspensions_and_reinstatements_in_any_order_leave_the_latest_decision(int count, string expected)
    {
        await using var app = new LogisticsApp();
        using var delivery = new EventDelivery(app.Harness);
        var failures = new List<string>();
        foreach (var order in EventOrders.Permutations(Enumerable.Range(0, count).ToArray()))
        {
            var (town, _, _) = Towns.Fresh();
            var van = await app.RegisterAsync(TestSettings.TownAuth(town), Fleet.Van(Towns.Roanne));
            var events = Sequence(town, DateTimeOffset.UtcNow.AddSeconds(1), count);
            foreach (var i in order) await DeliverAsync(delivery, events[i]);
            var state = await StandingAsync(app, town, van.Id);
            if (state != expected) failures.Add($"{string.Join(" → ", order.Select(i => Describe(events[i])))}: {state}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }

    [Fact]
    public async Task Each_standing_event_delivered_twice_with_its_own_or_a_new_message_id_leaves_the_latest_decision()
    {
        await using var app = new LogisticsApp();
        using var delivery = new EventDelivery(app.Harness);
        var failures = new List<string>();
        foreach (var sameId in new[] { true, false })
        {
            var (town, _, _) = Towns.Fresh();
            var van = await app.RegisterAsync(TestSettings.TownAuth(town), Fleet.Van(Towns.Roanne));
            var events = Sequence(town, DateTimeOffset.UtcNow.AddSeconds(1), 4);
            var ids = events.Select(_ => Guid.NewGuid()).ToArray();
            for (var i = 0; i < events.Length; i++)
            {
                await DeliverAsync(delivery, events[i], ids[i]);
                await DeliverAsync(delivery, events[i], sameId ? ids[i] : null);
            }
            // The older half again, late.
            for (var i = 0; i < 2; i++) await DeliverAsync(delivery, events[i], sameId ? ids[i] : null);
            var state = await StandingAsync(app, town, van.Id);
            if (state != "early van 404, new van 201") failures.Add($"{(sameId ? "same" : "new")} ids: {state}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }
}
