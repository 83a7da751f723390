using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Storage;

/// <summary>What every matching store adapter must do, run against each available adapter.</summary>
public sealed class MatchingStoreContract : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    private readonly TestSettings _settings = new();

    public void Dispose() => _settings.Dispose();

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task A_listing_written_in_a_session_is_visible_only_once_committed(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        await using (var session = await store.BeginAsync())
            await session.SaveListingAsync(BookListing.Open(Listing("l1", "roanne")));
        Assert.Null(await store.GetListingAsync("l1"));

        await using (var session = await store.BeginAsync())
        {
            await session.SaveListingAsync(BookListing.Open(Listing("l1", "roanne")));
            await session.CommitAsync();
        }
        var saved = await store.GetListingAsync("l1");
        Assert.NotNull(saved);
        Assert.Equal(Listing("l1", "roanne") with { Attributes = [], Requires = [] }, saved.Listing! with { Attributes = [], Requires = [] });
        Assert.Equal(["organic"], saved.Listing!.Attributes);
        Assert.Equal("l1", Assert.Single(await store.LiveListingsAsync(Now)).Id);
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task A_book_copy_read_back_has_the_terms_fingerprint_of_the_snapshot_received(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        // Ticks below the millisecond, an offset off UTC and float noise, as catalog may announce them.
        var from = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var received = Listing("l1", "roanne") with
        {
            Kind = "need", Attributes = [], Requires = ["raw", "organic"], MinLot = 0.1 + 0.2, MaxDistanceKm = 12.7,
            AvailableFrom = from, AvailableUntil = from.AddDays(3),
        };
        await using (var session = await store.BeginAsync())
        {
            await session.SaveListingAsync(BookListing.Open(received));
            await session.CommitAsync();
        }

        var copy = (await store.GetListingAsync("l1"))!.Listing!;

        Assert.Equal(ListingTermsFingerprint.Of(received), ListingTermsFingerprint.Of(copy));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task A_lease_has_one_holder_at_a_time_until_it_is_released_or_runs_out(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        const string lease = "clearing-round";

        Assert.True(await store.TryTakeLeaseAsync(lease, "a", Now, Now.AddMinutes(1)));
        Assert.False(await store.TryTakeLeaseAsync(lease, "b", Now.AddSeconds(30), Now.AddMinutes(2)));
        Assert.True(await store.TryTakeLeaseAsync(lease, "a", Now.AddSeconds(30), Now.AddMinutes(2))); // its holder extends it
        await store.ReleaseLeaseAsync(lease, "b"); // not b's to release
        Assert.False(await store.TryTakeLeaseAsync(lease, "b", Now.AddSeconds(40), Now.AddMinutes(3)));

        await store.ReleaseLeaseAsync(lease, "a");
        Assert.True(await store.TryTakeLeaseAsync(lease, "b", Now.AddSeconds(41), Now.AddMinutes(3)));
        // b never releases (its process died): the lease is free again once it runs out.
        Assert.False(await store.TryTakeLeaseAsync(lease, "a", Now.AddMinutes(3).AddSeconds(-1), Now.AddMinutes(4)));
        Assert.True(await store.TryTakeLeaseAsync(lease, "a", Now.AddMinutes(3), Now.AddMinutes(4)));
        Assert.True(await store.TryTakeLeaseAsync("another-lease", "b", Now.AddMinutes(3), Now.AddMinutes(4)));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task A_lease_is_extended_only_by_its_holder_and_after_it_ran_out_only_while_nobody_took_it(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        const string lease = "clearing-round";

        Assert.False(await store.TryExtendLeaseAsync(lease, "a", Now.AddMinutes(1))); // nobody took it
        Assert.True(await store.TryTakeLeaseAsync(lease, "a", Now, Now.AddMinutes(1)));
        Assert.False(await store.TryExtendLeaseAsync(lease, "b", Now.AddMinutes(2)));
        Assert.True(await store.TryExtendLeaseAsync(lease, "a", Now.AddMinutes(2)));
        Assert.False(await store.TryTakeLeaseAsync(lease, "b", Now.AddSeconds(90), Now.AddMinutes(3))); // the extension holds

        // Run out at 2 min with nobody taking it since: still a's, extended, and then not free to take.
        Assert.True(await store.TryExtendLeaseAsync(lease, "a", Now.AddMinutes(4)));
        Assert.False(await store.TryTakeLeaseAsync(lease, "b", Now.AddMinutes(3), Now.AddMinutes(5)));
        // Run out and taken by b: not a's any more, nor once b gave it back.
        Assert.True(await store.TryTakeLeaseAsync(lease, "b", Now.AddMinutes(4), Now.AddMinutes(5)));
        Assert.False(await store.TryExtendLeaseAsync(lease, "a", Now.AddMinutes(6)));
        await store.ReleaseLeaseAsync(lease, "b");
        Assert.False(await store.TryExtendLeaseAsync(lease, "a", Now.AddMinutes(6)));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task A_write_extends_only_its_holders_lease_and_only_if_it_commits(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        const string lease = "clearing-round";
        Assert.True(await store.TryTakeLeaseAsync(lease, "a", Now, Now.AddMinutes(1)));

        await using (var other = await store.BeginAsync())
            Assert.False(await other.ExtendLeaseAsync(lease, "b", Now.AddMinutes(5)));
        await using (var abandoned = await store.BeginAsync())
            Assert.True(await abandoned.ExtendLeaseAsync(lease, "a", Now.AddMinutes(5))); // never committed
        Assert.True(await store.TryTakeLeaseAsync(lease, "b", Now.AddMinutes(2), Now.AddMinutes(3))); // so "a" ran out at 1 min

        await using var late = await store.BeginAsync();
        Assert.False(await late.ExtendLeaseAsync(lease, "a", Now.AddMinutes(4)));
    }

    [Fact]
    public async Task Two_sqlite_stores_on_one_file_see_each_others_lease()
    {
        var first = StoreAdapters.Create("sqlite", _settings).Store;
        var second = StoreAdapters.Create("sqlite", _settings).Store;

        Assert.True(await first.TryTakeLeaseAsync("clearing-round", "a", Now, Now.AddMinutes(1)));

        Assert.False(await second.TryTakeLeaseAsync("clearing-round", "b", Now, Now.AddMinutes(1)));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task A_withdrawn_listing_leaves_the_open_book_but_keeps_its_tombstone(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        await using (var session = await store.BeginAsync())
        {
            await session.SaveListingAsync(BookListing.Open(Listing("l1", "roanne")));
            await session.SaveListingAsync(BookListing.Open(Listing("l2", "riorges")).Withdraw(4));
            await session.CommitAsync();
        }

        Assert.Equal(["l1"], (await store.LiveListingsAsync(Now)).Select(l => l.Id));
        var tombstone = await store.GetListingAsync("l2");
        Assert.True(tombstone!.Withdrawn);
        Assert.Equal(4, tombstone.Version);
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task A_trade_reads_back_as_it_was_written(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var trade = Trade("roanne", "riorges").WithLeg(1, l => l with
        {
            Response = LegResponse.Accepted, AnsweredAt = Now, PickedUp = true, PickedUpAt = Now.AddHours(1), Delivered = true,
            DeliveredAt = Now.AddHours(2), Failure = "flat tyre", LastFailedAt = Now.AddMinutes(30),
        }) with { Reason = "because" };
        await using (var session = await store.BeginAsync())
        {
            await session.InsertTradeAsync(trade);
            await session.CommitAsync();
        }

        var read = await store.GetTradeAsync(trade.Id);
        Assert.NotNull(read);
        Assert.Equal((trade.Id, trade.RoundId, trade.Status, trade.Deadline, trade.CreatedAt, trade.Reason, trade.Version),
            (read.Id, read.RoundId, read.Status, read.Deadline, read.CreatedAt, read.Reason, read.Version));
        Assert.Equal(trade.Legs, read.Legs);
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task The_time_a_trade_was_agreed_is_stored_with_it_and_read_back_by_every_query(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var proposal = Trade("roanne", "riorges");
        var agreedBefore = Trade("lyon", "vichy") with { Status = TradeStatus.Agreed, AgreedAt = Now.AddHours(-2) };
        await using (var session = await store.BeginAsync())
        {
            await session.InsertTradeAsync(proposal);
            await session.InsertTradeAsync(agreedBefore);
            await session.CommitAsync();
        }
        Assert.Null((await store.GetTradeAsync(proposal.Id))!.AgreedAt);

        await using (var session = await store.BeginAsync())
        {
            Assert.True(await session.UpdateTradeAsync(proposal with { Status = TradeStatus.Agreed, AgreedAt = Now }));
            await session.CommitAsync();
        }

        Assert.Equal(Now, (await store.GetTradeAsync(proposal.Id))!.AgreedAt);
        Assert.Equal(Now.AddHours(-2), (await store.GetTradeAsync(agreedBefore.Id))!.AgreedAt);
        var listed = await store.TradesAsync(new TradeQuery(Status: TradeStatus.Agreed));
        Assert.Equal(new[] { (proposal.Id, Now), (agreedBefore.Id, Now.AddHours(-2)) }.Order(),
            listed.Select(t => (t.Id, t.AgreedAt!.Value)).Order());
        await using var read = await store.BeginAsync();
        Assert.Equal(Now, Assert.Single(await read.TradesUsingListingAsync("roanne-offer", TradeStatus.Agreed)).AgreedAt);
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task An_update_against_a_stale_version_is_refused(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var trade = Trade("roanne", "riorges");
        await using (var session = await store.BeginAsync())
        {
            await session.InsertTradeAsync(trade);
            await session.CommitAsync();
        }

        await using (var session = await store.BeginAsync())
        {
            Assert.True(await session.UpdateTradeAsync(trade with { Status = TradeStatus.Agreed }));
            await session.CommitAsync();
        }
        await using (var session = await store.BeginAsync())
            Assert.False(await session.UpdateTradeAsync(trade.Cancel("too late", Now)));

        var read = await store.GetTradeAsync(trade.Id);
        Assert.Equal(TradeStatus.Agreed, read!.Status);
        Assert.Equal(1, read.Version);
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task Trades_are_found_by_town_status_and_deadline_newest_first(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var older = Trade("roanne", "riorges", createdAt: Now.AddMinutes(-10), deadline: Now.AddMinutes(-1));
        var newer = Trade("riorges", "lyon", createdAt: Now, deadline: Now.AddHours(1));
        var agreed = Trade("lyon", "vichy", createdAt: Now.AddMinutes(-5)) with { Status = TradeStatus.Agreed };
        await using (var session = await store.BeginAsync())
        {
            foreach (var t in new[] { older, newer, agreed }) await session.InsertTradeAsync(t);
            await session.CommitAsync();
        }

        Assert.Equal([newer.Id, older.Id], (await store.TradesAsync(new TradeQuery("riorges"))).Select(t => t.Id));
        Assert.Equal([newer.Id, agreed.Id], (await store.TradesAsync(new TradeQuery("lyon"))).Select(t => t.Id));
        Assert.Equal([newer.Id, older.Id], (await store.TradesAsync(new TradeQuery(Status: TradeStatus.Proposed))).Select(t => t.Id));
        Assert.Equal([older.Id], (await store.TradesAsync(new TradeQuery(Status: TradeStatus.Proposed, DeadlineBefore: Now))).Select(t => t.Id));
        Assert.Equal([newer.Id], (await store.TradesAsync(new TradeQuery(Limit: 1))).Select(t => t.Id));
        Assert.Empty(await store.TradesAsync(new TradeQuery("nowhere")));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task Trades_are_found_by_a_second_town_and_by_a_listing_with_the_other_filters_and_pages(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var roanneRiorges = Trade("roanne", "riorges", createdAt: Now.AddMinutes(-10));
        var roanneLyon = Trade("roanne", "lyon", createdAt: Now.AddMinutes(-5)) with { Status = TradeStatus.Agreed };
        var lyonVichy = Trade("lyon", "vichy", createdAt: Now);
        await using (var session = await store.BeginAsync())
        {
            foreach (var t in new[] { roanneRiorges, roanneLyon, lyonVichy }) await session.InsertTradeAsync(t);
            await session.CommitAsync();
        }

        async Task<Guid[]> Ids(TradeQuery query) => (await store.TradesAsync(query)).Select(t => t.Id).ToArray();
        Assert.Equal([roanneLyon.Id, roanneRiorges.Id], await Ids(new TradeQuery(WithTown: "roanne")));
        // The caller's own town and the town asked about must both be in the trade.
        Assert.Equal([roanneLyon.Id], await Ids(new TradeQuery("lyon", WithTown: "roanne")));
        Assert.Equal([lyonVichy.Id, roanneLyon.Id], await Ids(new TradeQuery("lyon", WithTown: "lyon")));
        Assert.Empty(await Ids(new TradeQuery("vichy", WithTown: "riorges")));
        // A listing as the offer of one leg or the need of another.
        Assert.Equal([roanneLyon.Id, roanneRiorges.Id], await Ids(new TradeQuery(ListingId: "roanne-offer")));
        Assert.Equal([lyonVichy.Id, roanneLyon.Id], await Ids(new TradeQuery(ListingId: "lyon-need")));
        Assert.Equal([lyonVichy.Id], await Ids(new TradeQuery(ListingId: "vichy-need")));
        Assert.Equal([roanneLyon.Id], await Ids(new TradeQuery(ListingId: "roanne-need", Status: TradeStatus.Agreed)));
        Assert.Equal([roanneRiorges.Id], await Ids(new TradeQuery(WithTown: "roanne", Limit: 1, After: (roanneLyon.CreatedAt, roanneLyon.Id))));
        Assert.Empty(await Ids(new TradeQuery(ListingId: "nowhere-offer")));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task A_trade_whose_status_changes_is_listed_under_its_new_status_for_each_of_its_towns_and_no_longer_under_the_old(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var cycle = Cycle("roanne", "riorges", "lyon");
        var other = Trade("roanne", "vichy");
        await using (var session = await store.BeginAsync())
        {
            await session.InsertTradeAsync(cycle);
            await session.InsertTradeAsync(other);
            await session.CommitAsync();
        }
        async Task<Guid[]> Ids(string town, TradeStatus? status, string? withTown = null) =>
            (await store.TradesAsync(new TradeQuery(town, status, WithTown: withTown))).Select(t => t.Id).ToArray();
        async Task Update(Trade trade, bool expected = true)
        {
            await using var session = await store.BeginAsync();
            Assert.Equal(expected, await session.UpdateTradeAsync(trade));
            await session.CommitAsync();
        }
        async Task AssertListedOnlyUnder(TradeStatus status)
        {
            foreach (var town in new[] { "roanne", "riorges", "lyon" })
                foreach (var s in Enum.GetValues<TradeStatus>())
                {
                    Assert.Equal(s == status, (await Ids(town, s)).Contains(cycle.Id));
                    Assert.Equal(s == status, (await Ids(town, s, withTown: town == "lyon" ? "roanne" : "lyon")).Contains(cycle.Id));
                }
        }
        await AssertListedOnlyUnder(TradeStatus.Proposed);

        // An answer that leaves the status as it was keeps it where it is.
        var answered = cycle.WithLeg(0, l => l with { Response = LegResponse.Accepted, AnsweredAt = Now });
        await Update(answered);
        await AssertListedOnlyUnder(TradeStatus.Proposed);
        var agreed = answered with { Version = 1, Status = TradeStatus.Agreed, AgreedAt = Now };
        await Update(agreed);
        await AssertListedOnlyUnder(TradeStatus.Agreed);
        // A write refused for a stale version moves nothing.
        await Update(answered.Cancel("too late", Now), expected: false);
        await AssertListedOnlyUnder(TradeStatus.Agreed);
        await Update(agreed with { Version = 2, Status = TradeStatus.Completed });
        await AssertListedOnlyUnder(TradeStatus.Completed);

        Assert.Equal([other.Id], await Ids("vichy", null));
        Assert.Equal([other.Id], await Ids("roanne", TradeStatus.Proposed));
        Assert.Equal([TradeStatus.Completed], (await store.TradesAsync(new TradeQuery("riorges"))).Select(t => t.Status));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task A_towns_trades_are_paged_newest_first_then_by_id_with_or_without_a_status_a_second_town_or_a_listing(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        // A round's trades share their creation time, so the id orders them within a page and across pages.
        var trades = new List<Trade>();
        for (var i = 0; i < 12; i++)
        {
            var trade = Trade("roanne", i % 3 == 0 ? "lyon" : "riorges", createdAt: Now.AddMinutes(-(i / 4)));
            trades.Add(i % 2 == 0 ? trade : trade with { Status = TradeStatus.Cancelled });
        }
        trades.Add(Trade("lyon", "vichy", createdAt: Now));
        await using (var session = await store.BeginAsync())
        {
            foreach (var t in trades) await session.InsertTradeAsync(t);
            await session.CommitAsync();
        }

        foreach (var query in new[]
                 {
                     new TradeQuery("roanne"), new TradeQuery("roanne", TradeStatus.Proposed), new TradeQuery("roanne", TradeStatus.Cancelled),
                     new TradeQuery("roanne", WithTown: "lyon"), new TradeQuery("lyon", TradeStatus.Proposed, WithTown: "roanne"),
                     new TradeQuery(WithTown: "riorges", Status: TradeStatus.Proposed), new TradeQuery("roanne", ListingId: "lyon-need"),
                 })
        {
            var expected = trades.Where(t => query.Towns.All(t.Involves) && (query.Status is null || t.Status == query.Status) &&
                                             (query.ListingId is null || t.ListingIds.Contains(query.ListingId)))
                .OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id.ToString(), StringComparer.Ordinal).Select(t => t.Id).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, (await store.TradesAsync(query)).Select(t => t.Id));
            var paged = new List<Guid>();
            (DateTimeOffset, Guid)? after = null;
            while (true)
            {
                var page = await store.TradesAsync(query with { Limit = 2, After = after });
                paged.AddRange(page.Select(t => t.Id));
                if (page.Count < 2) break;
                after = (page[^1].CreatedAt, page[^1].Id);
            }
            Assert.Equal(expected, paged);
        }
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task Trades_using_a_listing_are_found_by_status(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var pending = Trade("roanne", "riorges");
        var done = Trade("roanne", "riorges") with { Status = TradeStatus.Completed };
        var other = Trade("lyon", "vichy");
        await using (var session = await store.BeginAsync())
        {
            foreach (var t in new[] { pending, done, other }) await session.InsertTradeAsync(t);
            await session.CommitAsync();
        }

        await using var read = await store.BeginAsync();
        Assert.Equal([pending.Id], (await read.TradesUsingListingAsync("roanne-offer", TradeStatus.Proposed)).Select(t => t.Id));
        Assert.Equal([done.Id], (await read.TradesUsingListingAsync("roanne-need", TradeStatus.Completed)).Select(t => t.Id));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task Trades_are_counted_by_the_status_they_are_in_now(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        Assert.All(await store.CountTradesByStatusAsync(), c => Assert.Equal(0, c.Value));
        var answered = Trade("roanne", "riorges");
        await using (var session = await store.BeginAsync())
        {
            foreach (var t in new[]
                     {
                         answered, Trade("lyon", "vichy"), Trade("roanne", "lyon"),
                         Trade("vichy", "riorges") with { Status = TradeStatus.Agreed },
                         Trade("lyon", "riorges") with { Status = TradeStatus.Completed },
                     })
                await session.InsertTradeAsync(t);
            await session.CommitAsync();
        }
        await using (var session = await store.BeginAsync())
        {
            Assert.True(await session.UpdateTradeAsync(answered with { Status = TradeStatus.Agreed }));
            await session.CommitAsync();
        }

        var counts = await store.CountTradesByStatusAsync();

        Assert.Equal(
            new Dictionary<TradeStatus, long> { [TradeStatus.Proposed] = 2, [TradeStatus.Agreed] = 2, [TradeStatus.Cancelled] = 0, [TradeStatus.Completed] = 1 },
            Enum.GetValues<TradeStatus>().ToDictionary(s => s, s => counts.GetValueOrDefault(s)));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task A_message_is_consumed_once_per_consumer_and_only_when_committed(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var id = Guid.NewGuid();
        await using (var session = await store.BeginAsync())
            Assert.True(await session.TryConsumeAsync(id, "matching.test"));   // rolled back
        await using (var session = await store.BeginAsync())
        {
            Assert.True(await session.TryConsumeAsync(id, "matching.test"));
            await session.CommitAsync();
        }
        await using (var session = await store.BeginAsync())
        {
            Assert.False(await session.TryConsumeAsync(id, "matching.test"));
            Assert.True(await session.TryConsumeAsync(id, "matching.other"));
        }
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task Events_leave_through_the_outbox_only_with_a_committed_write(string adapter)
    {
        var storage = StoreAdapters.Create(adapter, _settings);
        var kept = Trade("roanne", "riorges");
        await using (var session = await storage.Store.BeginAsync())
        {
            await session.InsertTradeAsync(Trade("lyon", "vichy"));
            session.Publish(new TradeProposed(Guid.NewGuid(), Guid.NewGuid(), [], Now));
        }
        await using (var session = await storage.Store.BeginAsync())
        {
            await session.InsertTradeAsync(kept);
            session.Publish(new TradeProposed(kept.Id, kept.RoundId, kept.ContractLegs, kept.Deadline));
            await session.CommitAsync();
        }

        var pending = Assert.Single(await storage.Outbox.PendingAsync(10, CancellationToken.None));
        var message = Assert.IsType<TradeProposed>(pending.Deserialize());
        Assert.Equal(kept.Id, message.TradeId);
        await storage.Outbox.MarkSentAsync([pending.Id], CancellationToken.None);
        Assert.Empty(await storage.Outbox.PendingAsync(10, CancellationToken.None));
        Assert.Single(await storage.Store.TradesAsync(new TradeQuery()));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task The_outbox_has_one_relay_at_a_time_until_its_hold_runs_out_or_it_lets_go(string adapter)
    {
        var outbox = StoreAdapters.Create(adapter, _settings).Outbox;
        var ct = CancellationToken.None;

        Assert.True(await outbox.TryHoldRelayAsync("a", Now, Now.AddSeconds(10), ct));
        Assert.False(await outbox.TryHoldRelayAsync("b", Now.AddSeconds(5), Now.AddSeconds(15), ct));
        Assert.True(await outbox.TryHoldRelayAsync("a", Now.AddSeconds(5), Now.AddSeconds(15), ct)); // renewed
        Assert.False(await outbox.TryHoldRelayAsync("b", Now.AddSeconds(15).AddMilliseconds(-1), Now.AddSeconds(25), ct));
        Assert.True(await outbox.TryHoldRelayAsync("b", Now.AddSeconds(15), Now.AddSeconds(25), ct)); // a's ran out
        Assert.False(await outbox.TryHoldRelayAsync("a", Now.AddSeconds(16), Now.AddSeconds(26), ct));
        Assert.True(await outbox.TryHoldRelayAsync("b", Now.AddSeconds(17), Now.AddSeconds(17), ct)); // b lets go
        Assert.True(await outbox.TryHoldRelayAsync("a", Now.AddSeconds(17), Now.AddSeconds(27), ct));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task Rounds_read_back_newest_first(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var first = Round(Now.AddMinutes(-1));
        var second = Round(Now) with { UpperBound = 1234.5 };
        await using (var session = await store.BeginAsync())
        {
            await session.InsertRoundAsync(first);
            await session.InsertRoundAsync(second);
            await session.CommitAsync();
        }

        Assert.Equal([second.Id, first.Id], (await store.RoundsAsync(10)).Select(r => r.Id));
        var read = await store.GetRoundAsync(second.Id);
        Assert.Equal(second with { TradeIds = [] }, read! with { TradeIds = [] });
        Assert.Equal(second.TradeIds, read.TradeIds);
        Assert.Null(await store.GetRoundAsync(Guid.NewGuid()));
    }

    private static ListingSnapshot Listing(string id, string town) => new(id, town, "offer", "cheese", "kg", 12, 1, 30, 25, 2,
        ["organic"], [], null, Now, Now.AddDays(3), 46.03, 4.06, 3);

    private static Trade Trade(string a, string b, DateTimeOffset? createdAt = null, DateTimeOffset? deadline = null)
    {
        TradeLegState Leg(int index, string from, string to) => new(
            new TradeLeg(index, from, to, $"{from}-offer", $"{to}-need", "cheese", 4.5, 54, 4.95,
                new TradePoint(46.03, 4.06), new TradePoint(46.04, 4.04), Now, Now.AddDays(2)),
            OfferVersion: 3, NeedVersion: 7);
        return new Trade(Guid.NewGuid(), Guid.NewGuid(), TradeStatus.Proposed, [Leg(0, a, b), Leg(1, b, a)],
            deadline ?? Now.AddDays(1), createdAt ?? Now);
    }

    /// <summary>A trade around <paramref name="towns"/>: each gives to the next, the last to the first.</summary>
    private static Trade Cycle(params string[] towns)
    {
        var legs = towns.Select((from, i) => new TradeLegState(
            new TradeLeg(i, from, towns[(i + 1) % towns.Length], $"{from}-offer", $"{towns[(i + 1) % towns.Length]}-need", "cheese", 4.5, 54, 4.95,
                new TradePoint(46.03, 4.06), new TradePoint(46.04, 4.04), Now, Now.AddDays(2)))).ToList();
        return new Trade(Guid.NewGuid(), Guid.NewGuid(), TradeStatus.Proposed, legs, Now.AddDays(1), Now);
    }

    private static ClearingRound Round(DateTimeOffset at) =>
        new(Guid.NewGuid(), at, 12, 40, 2, 432.1, "completed", "operator ops", [Guid.NewGuid(), Guid.NewGuid()], "bilateral-greedy", 17, 5, null);
}
