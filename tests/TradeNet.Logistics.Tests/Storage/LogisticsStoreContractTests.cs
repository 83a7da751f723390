using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Storage;

namespace TradeNet.Logistics.Tests.Storage;

/// <summary>What every logistics store adapter must do, run against each adapter available.</summary>
public class LogisticsStoreContractTests
{
    // Whole milliseconds: MongoDB keeps no finer time.
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123);

    private static readonly ShipmentStop[] NoStops = [];

    private static TransferOrder Transfer(Guid trade, int leg, string from = "roanne", string to = "lyon", DateTimeOffset? created = null) =>
        new(Guid.NewGuid(), trade, leg, from, to, Towns.Roanne, Towns.Lyon, "cheese", 40, 40.5,
            T0.AddHours(1), T0.AddDays(3), TransferStatus.Pending, created ?? T0);

    private static Shipment ShipmentOf(TransferOrder t, string? carrier = null, DateTimeOffset? created = null) =>
        new(Guid.NewGuid(), t.TradeId, t.LegIndex, t.Id, t.FromTown, t.ToTown, carrier ?? t.FromTown, $"direct-{t.FromTown}",
            Guid.NewGuid(), ShipmentStatus.Planned, 86.25, 43.125, T0.AddHours(3),
            [new ShipmentStop(1, t.FromTown, "pickup", T0.AddHours(1)), new ShipmentStop(2, t.ToTown, "delivery", T0.AddHours(3))],
            created ?? T0);

    private static async Task<Shipment> SeedAsync(StoreUnderTest s, TransferOrder transfer, string? carrier = null, DateTimeOffset? created = null)
    {
        var shipment = ShipmentOf(transfer, carrier, created);
        await using var session = await s.Store.BeginAsync();
        Assert.True(await session.AddTransferAsync(transfer));
        await session.AddShipmentAsync(shipment);
        await session.CommitAsync();
        return shipment;
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_committed_transfer_and_shipment_read_back_field_for_field(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var transfer = Transfer(Guid.NewGuid(), 2);
        var shipment = await SeedAsync(s, transfer);

        var read = await s.Store.ShipmentAsync(shipment.Id);
        var transfers = await s.Store.TransfersOfTradeAsync(transfer.TradeId);

        Assert.NotNull(read);
        Assert.Equal(shipment with { Stops = NoStops }, read with { Stops = NoStops });
        Assert.Equal(shipment.Stops, read.Stops);
        Assert.Equal(new[] { transfer }, transfers);
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_secret_is_made_once_and_read_the_same_by_every_later_ask_and_each_name_has_its_own(string adapter)
    {
        await using var under = StoreUnderTest.Create(adapter);

        var first = await under.Store.SecretAsync("handover-codes");
        var asks = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => under.Store.SecretAsync("handover-codes")));
        var other = await under.Store.SecretAsync("another");

        Assert.Equal(32, first.Length);
        Assert.All(asks, a => Assert.Equal(first, a));
        Assert.NotEqual(first, other);
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task Wrong_handover_codes_are_counted_per_shipment_and_only_when_committed(string adapter)
    {
        await using var under = StoreUnderTest.Create(adapter);
        var (shipment, other) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var dropped = await under.Store.BeginAsync())
            Assert.Equal(1, await dropped.CountWrongHandoverCodesAsync(shipment, ["t0"]));

        await using (var session = await under.Store.BeginAsync())
        {
            Assert.Equal(HandoverAttempts.None, await session.HandoverAttemptsAsync(shipment));
            Assert.Equal(1, await session.CountWrongHandoverCodesAsync(shipment, ["t1"]));
            Assert.Equal(3, await session.CountWrongHandoverCodesAsync(shipment, ["t2", "t3"]));
            await session.CommitAsync();
        }

        await using var read = await under.Store.BeginAsync();
        var attempts = await read.HandoverAttemptsAsync(shipment);
        Assert.Equal(3, attempts.Wrong);
        Assert.Equal(["t1", "t2", "t3"], attempts.Tags.Order().ToArray());
        Assert.Equal(HandoverAttempts.None, await read.HandoverAttemptsAsync(other));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_wrong_code_counted_before_or_given_twice_counts_nothing_more_and_other_shipments_count_their_own(string adapter)
    {
        await using var under = StoreUnderTest.Create(adapter);
        var (shipment, other) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var session = await under.Store.BeginAsync())
        {
            Assert.Equal(2, await session.CountWrongHandoverCodesAsync(shipment, ["t1", "t2", "t1"]));
            await session.CommitAsync();
        }

        await using (var session = await under.Store.BeginAsync())
        {
            Assert.Equal(2, await session.CountWrongHandoverCodesAsync(shipment, ["t2", "t1"]));
            Assert.Equal(3, await session.CountWrongHandoverCodesAsync(shipment, ["t1", "t3"]));
            Assert.Equal(1, await session.CountWrongHandoverCodesAsync(other, ["t1"]));
            await session.CommitAsync();
        }

        var wrong = await under.Store.WrongHandoverCodesAsync([shipment, other]);
        Assert.Equal(new Dictionary<Guid, int> { [shipment] = 3, [other] = 1 }, wrong);
        var tags = await under.Store.WrongHandoverCodeTagsAsync([shipment, other, Guid.NewGuid()]);
        Assert.Equal(2, tags.Count);
        Assert.Equal(["t1", "t2", "t3"], tags[shipment].Order().ToArray());
        Assert.Equal(["t1"], tags[other].ToArray());
        Assert.Empty(await under.Store.WrongHandoverCodeTagsAsync([]));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task The_wrong_codes_of_many_shipments_are_read_in_one_call_outside_a_write(string adapter)
    {
        await using var under = StoreUnderTest.Create(adapter);
        var (guessed, touched, untouched) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using (var session = await under.Store.BeginAsync())
        {
            await session.CountWrongHandoverCodesAsync(guessed, [.. Enumerable.Range(0, 10).Select(i => $"t{i}")]);
            await session.HandoverAttemptsAsync(touched); // read in a report's session: no code counted
            await session.CommitAsync();
        }

        var wrong = await under.Store.WrongHandoverCodesAsync([guessed, touched, untouched, guessed]);

        Assert.Equal(new Dictionary<Guid, int> { [guessed] = 10 }, wrong);
        Assert.Empty(await under.Store.WrongHandoverCodesAsync([]));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task Transfers_are_read_by_their_ids_in_one_call_skipping_unknown_ids(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var (first, second, other) = (Transfer(Guid.NewGuid(), 0), Transfer(Guid.NewGuid(), 1, "lyon", "roanne"), Transfer(Guid.NewGuid(), 0));
        await using (var session = await s.Store.BeginAsync())
        {
            foreach (var t in new[] { first, second, other }) await session.AddTransferAsync(t);
            await session.CommitAsync();
        }

        var read = await s.Store.TransfersAsync([second.Id, Guid.NewGuid(), first.Id, second.Id]);

        Assert.Equal(new[] { first, second }.OrderBy(t => t.Id), read.OrderBy(t => t.Id));
        Assert.Empty(await s.Store.TransfersAsync([]));
        Assert.Empty(await s.Store.TransfersAsync([Guid.NewGuid()]));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_list_of_ids_longer_than_one_statement_takes_is_read_whole(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var stored = Enumerable.Range(0, 1_200).Select(_ => Transfer(Guid.NewGuid(), 0)).ToArray();
        await using (var session = await s.Store.BeginAsync())
        {
            foreach (var t in stored) await session.AddTransferAsync(t);
            await session.CommitAsync();
        }
        // 40,000 ids: past SQLite's 32,766 parameters per statement, and every stored one among them.
        var asked = stored.Select(t => t.Id).Concat(Enumerable.Range(0, 38_800).Select(_ => Guid.NewGuid())).ToArray();

        var read = await s.Store.TransfersAsync(asked);

        Assert.Equal(stored.Select(t => t.Id).Order(), read.Select(t => t.Id).Order());
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_trade_leg_gets_one_transfer_however_often_it_is_added(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var trade = Guid.NewGuid();
        await using (var session = await s.Store.BeginAsync())
        {
            Assert.True(await session.AddTransferAsync(Transfer(trade, 0)));
            Assert.False(await session.AddTransferAsync(Transfer(trade, 0)));
            Assert.True(await session.AddTransferAsync(Transfer(trade, 1)));
            await session.CommitAsync();
        }
        await using (var session = await s.Store.BeginAsync())
        {
            Assert.False(await session.AddTransferAsync(Transfer(trade, 1)));
            await session.CommitAsync();
        }

        Assert.Equal(new[] { 0, 1 }, (await s.Store.TransfersOfTradeAsync(trade)).Select(t => t.LegIndex));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_trade_keeps_the_first_trace_it_was_seen_in(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var trade = Guid.NewGuid();
        const string first = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        foreach (var trace in new[] { first, "00-11111111111111111111111111111111-2222222222222222-01" })
        {
            await using var session = await s.Store.BeginAsync();
            await session.RememberTradeTraceAsync(trade, trace);
            await session.CommitAsync();
        }

        Assert.Equal(first, await s.Store.TradeTraceAsync(trade));
        Assert.Null(await s.Store.TradeTraceAsync(Guid.NewGuid()));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_session_left_without_commit_leaves_no_trace(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var transfer = Transfer(Guid.NewGuid(), 0);
        var messageId = Guid.NewGuid();
        await using (var session = await s.Store.BeginAsync())
        {
            Assert.True(await session.TryConsumeAsync(messageId, "contract"));
            await session.AddTransferAsync(transfer);
            await session.AddShipmentAsync(ShipmentOf(transfer));
            await session.MarkTradeCancelledAsync(transfer.TradeId, "test", T0);
            session.Publish(new ShipmentPickedUp(Guid.NewGuid(), transfer.TradeId, 0, T0));
        }

        Assert.Empty(await s.Store.TransfersOfTradeAsync(transfer.TradeId));
        Assert.Empty(await s.Store.ShipmentsAsync(new ShipmentQuery(transfer.TradeId)));
        Assert.Empty(await s.PendingEventsAsync());
        await using var next = await s.Store.BeginAsync();
        Assert.False(await next.IsTradeCancelledAsync(transfer.TradeId));
        Assert.True(await next.TryConsumeAsync(messageId, "contract"));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_message_is_consumed_once_per_consumer(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var messageId = Guid.NewGuid();
        await using (var session = await s.Store.BeginAsync())
        {
            Assert.True(await session.TryConsumeAsync(messageId, "agreed"));
            await session.CommitAsync();
        }

        await using var again = await s.Store.BeginAsync();
        Assert.False(await again.TryConsumeAsync(messageId, "agreed"));
        Assert.True(await again.TryConsumeAsync(messageId, "cancelled"));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task Events_published_in_a_session_reach_the_outbox_on_commit(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var evt = new ShipmentDelivered(Guid.NewGuid(), Guid.NewGuid(), 1, T0);
        await using (var session = await s.Store.BeginAsync())
        {
            session.Publish(evt);
            await session.CommitAsync();
        }

        var pending = Assert.Single(await s.PendingEventsAsync());
        Assert.Equal(evt, pending.Deserialize());
        await s.Outbox.MarkSentAsync([pending.Id], CancellationToken.None);
        Assert.Empty(await s.PendingEventsAsync());
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_stale_version_cannot_overwrite_a_shipment(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var shipment = await SeedAsync(s, Transfer(Guid.NewGuid(), 0));
        var picked = ShipmentTransitions.Apply(shipment, ShipmentAction.PickUp, T0).Shipment;
        await using (var session = await s.Store.BeginAsync())
        {
            await session.UpdateShipmentAsync(picked, shipment.Version);
            await session.CommitAsync();
        }

        await using (var late = await s.Store.BeginAsync())
        {
            var failed = ShipmentTransitions.Apply(shipment, ShipmentAction.Fail, T0, "late").Shipment;
            await Assert.ThrowsAsync<ConcurrencyConflictException>(() => late.UpdateShipmentAsync(failed, shipment.Version));
        }

        var read = await s.Store.ShipmentAsync(shipment.Id);
        Assert.Equal(ShipmentStatus.PickedUp, read!.Status);
        Assert.Equal(T0, read.PickedUpAt);
        Assert.Equal(shipment.Version + 1, read.Version);
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task Shipments_are_counted_by_the_status_they_are_in_now(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        Assert.All(await s.Store.CountShipmentsByStatusAsync(), c => Assert.Equal(0, c.Value));
        var trade = Guid.NewGuid();
        var seeded = new List<Shipment>();
        for (var leg = 0; leg < 5; leg++) seeded.Add(await SeedAsync(s, Transfer(trade, leg)));
        var moves = new[]
        {
            (seeded[0], new[] { ShipmentAction.PickUp }),
            (seeded[1], new[] { ShipmentAction.PickUp, ShipmentAction.Deliver }),
            (seeded[2], new[] { ShipmentAction.Cancel }),
        };
        foreach (var (shipment, actions) in moves)
        {
            var current = shipment;
            foreach (var action in actions)
            {
                var next = ShipmentTransitions.Apply(current, action, T0).Shipment;
                await using var session = await s.Store.BeginAsync();
                await session.UpdateShipmentAsync(next, current.Version);
                await session.CommitAsync();
                current = next;
            }
        }

        var counts = await s.Store.CountShipmentsByStatusAsync();

        Assert.Equal(
            new Dictionary<ShipmentStatus, long>
            {
                [ShipmentStatus.Planned] = 2, [ShipmentStatus.PickedUp] = 1, [ShipmentStatus.Delivered] = 1,
                [ShipmentStatus.Failed] = 0, [ShipmentStatus.Cancelled] = 1,
            },
            Enum.GetValues<ShipmentStatus>().ToDictionary(st => st, st => counts.GetValueOrDefault(st)));
        // What keeps vehicles busy: the planned and the picked-up ones.
        await using var read = await s.Store.BeginAsync();
        Assert.Equal(new[] { seeded[0].Id, seeded[3].Id, seeded[4].Id }.Order(), (await read.ActiveShipmentsAsync()).Select(a => a.Id).Order());
        // What a driver's day still counts: the delivered (or failed) ones due since a time, not the cancelled one.
        Assert.Equal([seeded[1].Id], (await read.EndedShipmentsAsync(seeded[1].Eta)).Select(e => e.Id));
        Assert.Empty(await read.EndedShipmentsAsync(seeded[1].Eta.AddSeconds(1)));
        // One vehicle's of both, read outside a write.
        var vehicle = seeded[1].VehicleId;
        var expected = seeded.Where(sh => sh.VehicleId == vehicle && (sh == seeded[0] || sh == seeded[1] || sh == seeded[3] || sh == seeded[4]));
        Assert.Equal(expected.Select(sh => sh.Id).Order(), (await s.Store.ShipmentsOfVehicleAsync(vehicle, seeded[1].Eta)).Select(sh => sh.Id).Order());
        Assert.Empty(await s.Store.ShipmentsOfVehicleAsync("no-such-vehicle", seeded[1].Eta));
        // The trades of a page at once read what each trade does alone.
        Assert.Equal((await s.Store.ShipmentsAsync(new ShipmentQuery(TradeId: trade))).Select(sh => sh.Id).Order(),
            (await s.Store.ShipmentsAsync(new ShipmentQuery(TradeIds: [trade, Guid.NewGuid()]))).Select(sh => sh.Id).Order());
        Assert.Empty(await s.Store.ShipmentsAsync(new ShipmentQuery(TradeIds: [Guid.NewGuid()])));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_town_lists_only_what_it_sends_receives_or_carries(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var trade = Guid.NewGuid();
        var sent = await SeedAsync(s, Transfer(trade, 0, "roanne", "lyon"), created: T0);
        var received = await SeedAsync(s, Transfer(trade, 1, "lyon", "roanne"), created: T0.AddMinutes(1));
        var carried = await SeedAsync(s, Transfer(Guid.NewGuid(), 0, "lyon", "vienne"), carrier: "roanne", created: T0.AddMinutes(2));
        await SeedAsync(s, Transfer(Guid.NewGuid(), 0, "lyon", "vienne"), created: T0.AddMinutes(3));

        var roanne = await s.Store.ShipmentsAsync(new ShipmentQuery(VisibleTo: "roanne"));
        var roanneInTrade = await s.Store.ShipmentsAsync(new ShipmentQuery(trade, "roanne"));
        var all = await s.Store.ShipmentsAsync(new ShipmentQuery());
        var newest = await s.Store.ShipmentsAsync(new ShipmentQuery(Limit: 1));

        Assert.Equal(new[] { carried.Id, received.Id, sent.Id }, roanne.Select(x => x.Id));
        Assert.Equal(new[] { received.Id, sent.Id }, roanneInTrade.Select(x => x.Id));
        Assert.Equal(4, all.Count);
        Assert.Single(newest);
        Assert.Empty(await s.Store.ShipmentsAsync(new ShipmentQuery(VisibleTo: "grenoble")));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task Shipments_are_filtered_by_status_and_eta_and_a_page_continues_after_the_last_one_of_the_page_before(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        // Three created at the same instant (the order then goes by trade, leg and id), two later; etas an hour apart.
        var trade = Guid.NewGuid();
        var shipments = new List<Shipment>();
        for (var i = 0; i < 5; i++)
        {
            var transfer = Transfer(i < 3 ? trade : Guid.NewGuid(), i < 3 ? i : 0);
            var shipment = ShipmentOf(transfer, created: i < 3 ? T0 : T0.AddMinutes(i)) with { Eta = T0.AddHours(i) };
            if (i == 1) shipment = ShipmentTransitions.Apply(shipment, ShipmentAction.PickUp, T0).Shipment;
            if (i == 2) shipment = ShipmentTransitions.Apply(shipment, ShipmentAction.Cancel, T0).Shipment;
            await using var session = await s.Store.BeginAsync();
            await session.AddTransferAsync(transfer);
            await session.AddShipmentAsync(shipment);
            await session.CommitAsync();
            shipments.Add(shipment);
        }
        var newestFirst = new[] { shipments[4], shipments[3], shipments[0], shipments[1], shipments[2] }.Select(x => x.Id).ToList();
        var open = new[] { ShipmentStatus.Planned, ShipmentStatus.PickedUp };
        async Task<List<Guid>> Ids(ShipmentQuery query) => [.. (await s.Store.ShipmentsAsync(query)).Select(x => x.Id)];

        Assert.Equal(newestFirst, await Ids(new ShipmentQuery()));
        Assert.Equal([shipments[1].Id], await Ids(new ShipmentQuery(Statuses: [ShipmentStatus.PickedUp])));
        Assert.Equal(newestFirst.Where(id => id != shipments[2].Id), await Ids(new ShipmentQuery(Statuses: open)));
        Assert.Empty(await Ids(new ShipmentQuery(Statuses: [])));
        // Due before T0 + 2h: etas T0 and T0 + 1h, of which only those still open.
        Assert.Equal([shipments[0].Id, shipments[1].Id], await Ids(new ShipmentQuery(Statuses: open, EtaBefore: T0.AddHours(2))));
        Assert.Equal([shipments[0].Id], await Ids(new ShipmentQuery(Statuses: [ShipmentStatus.Planned], EtaBefore: T0.AddHours(2))));
        // Page by page, each after the last of the one before: every shipment once, in the list's order, ties included.
        var paged = new List<Guid>();
        Shipment? last = null;
        while (await s.Store.ShipmentsAsync(new ShipmentQuery(Limit: 2, After: last)) is { Count: > 0 } page)
        {
            paged.AddRange(page.Select(x => x.Id));
            last = page[^1];
        }
        Assert.Equal(newestFirst, paged);
        // After a shipment that no longer matches the filter, the page still continues from its place in the order.
        Assert.Equal([shipments[1].Id], await Ids(new ShipmentQuery(Statuses: [ShipmentStatus.PickedUp], After: shipments[0])));
        Assert.Empty(await Ids(new ShipmentQuery(Statuses: [ShipmentStatus.PickedUp], After: shipments[1])));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task Pending_transfers_come_oldest_first_until_they_are_planned(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var older = Transfer(Guid.NewGuid(), 0, created: T0);
        var newer = Transfer(Guid.NewGuid(), 0, created: T0.AddMinutes(5));
        await using (var session = await s.Store.BeginAsync())
        {
            await session.AddTransferAsync(newer);
            await session.AddTransferAsync(older);
            Assert.Equal(new[] { older.Id, newer.Id }, (await session.PendingTransfersAsync(10)).Select(t => t.Id));
            await session.SetTransferStatusAsync(older.Id, TransferStatus.Planned);
            Assert.Equal(new[] { newer.Id }, (await session.PendingTransfersAsync(10)).Select(t => t.Id));
            await session.CommitAsync();
        }

        Assert.Equal(TransferStatus.Planned, (await s.Store.TransfersOfTradeAsync(older.TradeId)).Single().Status);
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task Pending_transfers_asked_for_ready_before_a_time_leave_out_those_whose_window_opens_at_it_or_later(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var before = T0.AddDays(7);
        var anyTime = Transfer(Guid.NewGuid(), 0, created: T0);
        var ready = Transfer(Guid.NewGuid(), 0, created: T0.AddMinutes(1)) with { WindowFrom = before.AddTicks(-10) };
        var atIt = Transfer(Guid.NewGuid(), 0, created: T0.AddMinutes(2)) with { WindowFrom = before };
        var later = Transfer(Guid.NewGuid(), 0, created: T0.AddMinutes(3)) with { WindowFrom = before.AddDays(30) };
        await using var session = await s.Store.BeginAsync();
        foreach (var t in new[] { later, atIt, ready, anyTime }) await session.AddTransferAsync(t);

        Assert.Equal(new[] { anyTime.Id, ready.Id }, (await session.PendingTransfersAsync(10, before)).Select(t => t.Id));
        Assert.Equal(new[] { anyTime.Id }, (await session.PendingTransfersAsync(1, before)).Select(t => t.Id));
        Assert.Equal(new[] { anyTime.Id, ready.Id, atIt.Id, later.Id }, (await session.PendingTransfersAsync(10)).Select(t => t.Id));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_transfers_attempts_and_last_failure_are_kept_and_held_ones_are_listed_oldest_first(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var (older, newer, waiting) = (Transfer(Guid.NewGuid(), 0, created: T0), Transfer(Guid.NewGuid(), 1, created: T0.AddMinutes(1)),
            Transfer(Guid.NewGuid(), 0, created: T0.AddMinutes(2)));
        await using (var session = await s.Store.BeginAsync())
        {
            foreach (var t in new[] { newer, waiting, older }) await session.AddTransferAsync(t);
            await session.CommitAsync();
        }
        TransferOrder Held(TransferOrder t) =>
            t with { Status = TransferStatus.Held, Attempts = 3, LastFailureReason = "the road is closed", LastFailedAt = T0.AddHours(5) };

        await using (var session = await s.Store.BeginAsync())
        {
            Assert.Equal(older, await session.TransferAsync(older.Id));
            Assert.Null(await session.TransferAsync(Guid.NewGuid()));
            await session.UpdateTransferAsync(Held(newer));
            await session.UpdateTransferAsync(Held(older));
            await Assert.ThrowsAsync<KeyNotFoundException>(() => session.UpdateTransferAsync(Held(Transfer(Guid.NewGuid(), 0))));
            Assert.Equal(new[] { waiting.Id }, (await session.PendingTransfersAsync(10)).Select(t => t.Id));
            await session.CommitAsync();
        }

        Assert.Equal(new[] { Held(older) }, await s.Store.TransfersOfTradeAsync(older.TradeId));
        Assert.Equal(new[] { Held(older), Held(newer) }, await s.Store.TransfersInStatusAsync(TransferStatus.Held, 10));
        Assert.Equal(new[] { Held(older) }, await s.Store.TransfersInStatusAsync(TransferStatus.Held, 1));
        Assert.Equal(new[] { Held(newer) }, await s.Store.TransfersInStatusAsync(TransferStatus.Held, 10, Held(older)));
        Assert.Empty(await s.Store.TransfersInStatusAsync(TransferStatus.Held, 10, Held(newer)));
        Assert.Empty(await s.Store.TransfersInStatusAsync(TransferStatus.Cancelled, 10));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_cancelled_trade_is_remembered_once(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var trade = Guid.NewGuid();
        await using (var session = await s.Store.BeginAsync())
        {
            Assert.False(await session.IsTradeCancelledAsync(trade));
            Assert.True(await session.MarkTradeCancelledAsync(trade, "rejected", T0));
            await session.CommitAsync();
        }

        await using var again = await s.Store.BeginAsync();
        Assert.True(await again.IsTradeCancelledAsync(trade));
        Assert.False(await again.MarkTradeCancelledAsync(trade, "rejected again", T0));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task The_plan_step_turns_pending_transfers_into_announced_shipments(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var trade = Guid.NewGuid();
        await using (var session = await s.Store.BeginAsync())
        {
            await session.AddTransferAsync(Transfer(trade, 0, "roanne", "lyon"));
            await session.AddTransferAsync(Transfer(trade, 1, "lyon", "roanne"));
            await session.CommitAsync();
        }
        var planning = new ShipmentPlanning(new DirectTripPlanner(TransportModel.From(new LogisticsOptions())), TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new LogisticsOptions()), Microsoft.Extensions.Logging.Abstractions.NullLogger<ShipmentPlanning>.Instance);

        var planned = await planning.PlanPendingAsync(s.Store, 100, CancellationToken.None);
        var again = await planning.PlanPendingAsync(s.Store, 100, CancellationToken.None);

        Assert.Equal(2, planned.Shipments.Count);
        Assert.Empty(again.Shipments);
        Assert.All(await s.Store.TransfersOfTradeAsync(trade), t => Assert.Equal(TransferStatus.Planned, t.Status));
        var shipments = await s.Store.ShipmentsAsync(new ShipmentQuery(trade));
        var events = (await s.PendingEventsAsync()).Select(m => m.Deserialize()).OfType<ShipmentPlanned>().ToList();
        Assert.Equal(shipments.Select(x => x.Id).Order(), events.Select(e => e.ShipmentId).Order());
        Assert.All(events, e => Assert.Equal(trade, e.TradeId));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task Of_concurrent_pickups_exactly_one_is_applied_and_announced(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var shipment = await SeedAsync(s, Transfer(Guid.NewGuid(), 0));
        var tracking = Tracking(s.Store);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            tracking.ReportAsync(shipment.Id, ShipmentAction.PickUp, "roanne", isOperator: false, null, CancellationToken.None))));

        Assert.Equal(1, results.Count(r => r.Outcome == TrackingOutcome.Applied));
        Assert.Equal(7, results.Count(r => r.Outcome == TrackingOutcome.Repeated));
        var events = (await s.PendingEventsAsync()).Select(m => m.Deserialize()).OfType<ShipmentPickedUp>();
        Assert.Equal(shipment.Id, Assert.Single(events).ShipmentId);
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_stop_report_naming_the_route_a_shipment_was_moved_off_is_refused_and_changes_nothing(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var shipment = await SeedAsync(s, Transfer(Guid.NewGuid(), 0));
        var tracking = Tracking(s.Store);

        var stale = await tracking.ReportAsync(shipment.Id, ShipmentAction.PickUp, "roanne", isOperator: false, null, CancellationToken.None,
            onRoute: Guid.NewGuid());
        var current = await tracking.ReportAsync(shipment.Id, ShipmentAction.PickUp, "roanne", isOperator: false, null, CancellationToken.None,
            onRoute: shipment.RouteId);

        Assert.Equal(TrackingOutcome.Illegal, stale.Outcome);
        Assert.Contains("re-planned", stale.Why);
        Assert.Equal(TrackingOutcome.Applied, current.Outcome);
    }

    private static ShipmentTracking Tracking(ILogisticsStore store) =>
        new(store, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new LogisticsOptions()),
            new HandoverCodes(store),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ShipmentTracking>.Instance);

    private static Vehicle Van(string id, string home, double? volume = null, DateTimeOffset? until = null) =>
        new(id, home, Towns.Roanne, "co-op van", 1500.5, volume, true, 0.45, 25, T0, until, T0, T0);

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task Vehicles_come_in_pages_by_home_town_then_id_and_are_counted_per_town(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        await using (var session = await s.Store.BeginAsync())
        {
            foreach (var (id, home) in new[] { ("veh-3", "roanne"), ("veh-1", "roanne"), ("veh-2", "lyon"), ("veh-0", "roanne"), ("veh-4", "lyon") })
                await session.AddVehicleAsync(Van(id, home));
            Assert.Equal(3, await session.CountVehiclesAsync("roanne"));
            Assert.Equal(0, await session.CountVehiclesAsync("nowhere"));
            await session.CommitAsync();
        }
        var all = await s.Store.VehiclesAsync();

        var first = await s.Store.VehiclePageAsync(new VehiclePage(null, null, 2));
        var second = await s.Store.VehiclePageAsync(new VehiclePage(null, VehicleCursor.Of(first[^1]), 2));
        var third = await s.Store.VehiclePageAsync(new VehiclePage(null, VehicleCursor.Of(second[^1]), 2));
        var roanne = await s.Store.VehiclePageAsync(new VehiclePage("roanne", VehicleCursor.Of(all.Single(v => v.Id == "veh-0")), 5));

        Assert.Equal(["veh-2", "veh-4", "veh-0", "veh-1", "veh-3"], all.Select(v => v.Id));
        Assert.Equal(all.Select(v => v.Id), first.Concat(second).Concat(third).Select(v => v.Id));
        Assert.Single(third);
        Assert.Equal(["veh-1", "veh-3"], roanne.Select(v => v.Id));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task Vehicles_are_added_read_replaced_and_withdrawn(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var (first, second, elsewhere) = (Van("veh-1", "roanne", 12.5, T0.AddDays(2)) with { MaxRouteHours = 9.5 }, Van("veh-2", "roanne"), Van("veh-0", "lyon"));
        await using (var session = await s.Store.BeginAsync())
        {
            await session.AddVehicleAsync(second);
            await session.AddVehicleAsync(first);
            await session.AddVehicleAsync(elsewhere);
            await session.CommitAsync();
        }

        Assert.Equal(first, await s.Store.VehicleAsync("veh-1"));
        Assert.Null((await s.Store.VehicleAsync("veh-2"))!.MaxRouteHours);
        Assert.Equal(["veh-1", "veh-2"], (await s.Store.VehiclesAsync("roanne")).Select(v => v.Id));
        Assert.Equal(["veh-0", "veh-1", "veh-2"], (await s.Store.VehiclesAsync()).Select(v => v.Id));

        var bigger = first with { CapacityKg = 3000, VolumeM3 = null, Chilled = false, UpdatedAt = T0.AddHours(1), MaxRouteHours = null };
        await using (var session = await s.Store.BeginAsync())
        {
            Assert.True(await session.UpdateVehicleAsync(bigger));
            Assert.False(await session.UpdateVehicleAsync(Van("veh-missing", "roanne")));
            Assert.True(await session.DeleteVehicleAsync("veh-2"));
            Assert.False(await session.DeleteVehicleAsync("veh-2"));
            Assert.Equal(["veh-0", "veh-1"], (await session.VehiclesAsync()).Select(v => v.Id));
            await session.CommitAsync();
        }

        Assert.Equal(bigger, await s.Store.VehicleAsync("veh-1"));
        Assert.Null(await s.Store.VehicleAsync("veh-2"));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_vehicles_working_hours_are_stored_changed_and_cleared(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var weekdays = new WorkingHours(new TimeOnly(7, 0), new TimeOnly(18, 30), "Europe/Paris", WorkDays.Mon | WorkDays.Tue | WorkDays.Fri);
        var van = Van("veh-1", "roanne") with { WorkingHours = weekdays };
        await using (var session = await s.Store.BeginAsync())
        {
            await session.AddVehicleAsync(van);
            await session.AddVehicleAsync(Van("veh-2", "roanne"));
            await session.CommitAsync();
        }
        var stored = await s.Store.VehicleAsync("veh-1");
        var anyHour = await s.Store.VehicleAsync("veh-2");

        var nights = van with { WorkingHours = new WorkingHours(new TimeOnly(5, 45), new TimeOnly(13, 0), "America/New_York", WorkDays.Every) };
        await using (var session = await s.Store.BeginAsync())
        {
            Assert.True(await session.UpdateVehicleAsync(nights));
            await session.CommitAsync();
        }
        var changed = (await s.Store.VehiclesAsync("roanne")).Single(v => v.Id == "veh-1");
        await using (var session = await s.Store.BeginAsync())
        {
            Assert.True(await session.UpdateVehicleAsync(van with { WorkingHours = null }));
            await session.CommitAsync();
        }

        Assert.Equal(van, stored);
        Assert.Null(anyHour!.WorkingHours);
        Assert.Equal(nights, changed);
        Assert.Null((await s.Store.VehicleAsync("veh-1"))!.WorkingHours);
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_callers_idempotency_key_names_one_vehicle_and_cannot_be_taken_twice(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var (town, op) = (VehicleRegistration.CallerOf("town", "roanne"), VehicleRegistration.CallerOf("operator", "roanne"));
        var first = new VehicleRegistration(town, "key-1", "veh-1", "fp-1", T0);
        await using (var session = await s.Store.BeginAsync())
        {
            await session.AddVehicleAsync(Van("veh-1", "roanne"));
            await session.AddVehicleRegistrationAsync(first);
            // Other callers' keys spelled alike: an operator named like the town, names holding a slash.
            await session.AddVehicleRegistrationAsync(new(op, "key-1", "veh-2", "fp-2", T0));
            await session.AddVehicleRegistrationAsync(new("operator:a/b", "c", "veh-3", "fp-3", T0));
            await session.AddVehicleRegistrationAsync(new("operator:a", "b/c", "veh-4", "fp-4", T0));
            Assert.Equal(first, await session.VehicleRegistrationAsync(town, "key-1")); // the write sees its own key
            await session.CommitAsync();
        }

        await using (var session = await s.Store.BeginAsync())
            await Assert.ThrowsAsync<ConcurrencyConflictException>(() => session.AddVehicleRegistrationAsync(first with { VehicleId = "veh-5" }));
        // Withdrawing the vehicle keeps its key: a late retry must not register it again.
        await using (var session = await s.Store.BeginAsync())
        {
            Assert.True(await session.DeleteVehicleAsync("veh-1"));
            await session.CommitAsync();
        }

        Assert.Equal(first, await s.Store.VehicleRegistrationAsync(town, "key-1"));
        Assert.Equal("veh-2", (await s.Store.VehicleRegistrationAsync(op, "key-1"))!.VehicleId);
        Assert.Equal(["veh-3", "veh-4"], [(await s.Store.VehicleRegistrationAsync("operator:a/b", "c"))!.VehicleId,
            (await s.Store.VehicleRegistrationAsync("operator:a", "b/c"))!.VehicleId]);
        Assert.Null(await s.Store.VehicleRegistrationAsync(town, "key-2"));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task The_shipments_of_a_route_are_found_by_its_id(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var route = Guid.NewGuid();
        var (a, b, other) = (Transfer(Guid.NewGuid(), 0), Transfer(Guid.NewGuid(), 1), Transfer(Guid.NewGuid(), 0));
        await using (var session = await s.Store.BeginAsync())
        {
            foreach (var t in new[] { a, b, other }) await session.AddTransferAsync(t);
            await session.AddShipmentAsync(ShipmentOf(a) with { RouteId = route });
            await session.AddShipmentAsync(ShipmentOf(b) with { RouteId = route });
            await session.AddShipmentAsync(ShipmentOf(other));
            Assert.Equal(2, (await session.ShipmentsOfRouteAsync(route)).Count);
            await session.CommitAsync();
        }

        var onRoute = await s.Store.ShipmentsOfRouteAsync(route);

        Assert.Equal(new[] { a.Id, b.Id }.Order(), onRoute.Select(x => x.TransferId).Order());
        Assert.Empty(await s.Store.ShipmentsOfRouteAsync(Guid.NewGuid()));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_towns_standing_is_replaced_by_the_next_one_kept_and_only_suspended_towns_are_listed_as_such(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        await using (var session = await s.Store.BeginAsync())
        {
            await session.SetTownStandingAsync(new TownStanding("roanne", Suspended: true, T0, "fraud"));
            await session.SetTownStandingAsync(new TownStanding("lyon", Suspended: true, T0, "fraud"));
            await session.SetTownStandingAsync(new TownStanding("lyon", Suspended: false, T0.AddHours(1)));
            await session.CommitAsync();
        }

        await using var read = await s.Store.BeginAsync();
        Assert.Equal(new TownStanding("lyon", Suspended: false, T0.AddHours(1)), await read.TownStandingAsync("lyon"));
        Assert.Equal(["roanne"], await read.SuspendedTownsAsync());
        Assert.Null(await read.TownStandingAsync("tarare"));
    }
}
