using System.Text.Json;
using MongoDB.Driver;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Catalog.Storage.Mongo;
using TradeNet.Catalog.Storage.Sqlite;
using TradeNet.Contracts;
using TradeNet.Shared.Storage;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>One contract for every catalog store: SQLite always, MongoDB when TRADENET_TEST_MONGO holds a connection string.</summary>
public sealed partial class CatalogStoreContractTests
{
    public static TheoryData<string> Adapters()
    {
        var adapters = new TheoryData<string> { "sqlite" };
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("TRADENET_TEST_MONGO"))) adapters.Add("mongo");
        return adapters;
    }

    private static readonly DateTimeOffset At = new(2026, 11, 27, 9, 30, 15, 123, TimeSpan.Zero);

    private static Town Town(string id, string? hash = null) =>
        new(id, $"Town {id}", id, 46.03, 4.07, ["cheese", "wood"], hash ?? ApiKeys.Hash(id), At);

    private static Listing Listing(string id, string townId, string kind = ListingKinds.Offer, string category = "cheese") =>
        new(id, townId, kind, category, 100, 0, 0, 5, kind == ListingKinds.Offer ? ["organic"] : [],
            kind == ListingKinds.Need ? ["organic"] : [], At, At.AddDays(30), kind == ListingKinds.Need ? 40 : null,
            ListingStatuses.Active, 1, At);

    private static void AssertSame<T>(T expected, T? actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));

    [Theory, MemberData(nameof(Adapters))]
    public async Task Seeding_twice_keeps_one_copy_of_each_category_with_the_latest_values(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var changed = CategorySeed.All.Select(c => c.Id == "cheese" ? c with { ValuePerUnit = 19 } : c).ToList();

        await store.Store.InitializeAsync(changed);

        var categories = await store.Store.GetCategoriesAsync();
        Assert.Equal(CategorySeed.All.Count, categories.Count);
        Assert.Equal(19, Assert.Single(categories, c => c.Id == "cheese").ValuePerUnit);
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_committed_town_and_its_event_land_together(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var town = Town("42187");

        await using (var session = await store.Store.BeginAsync())
        {
            await session.AddTownAsync(town);
            session.Publish(new TownRegistered(town.Id, town.Name, town.InseeCode, town.Lat, town.Lon, town.Specialties));
            await session.CommitAsync();
        }

        AssertSame(town, await store.Store.GetTownAsync("42187"));
        AssertSame(town, await store.Store.FindTownByKeyHashAsync(town.ApiKeyHash));
        var pending = Assert.Single(await store.Outbox.PendingAsync(10, default));
        Assert.Equal(typeof(TownRegistered).FullName, pending.Type);
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_session_left_without_commit_changes_nothing(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);

        await using (var session = await store.Store.BeginAsync())
        {
            await session.AddTownAsync(Town("42187"));
            session.Publish(new TownRegistered("42187", "Roanne", null, 46, 4, []));
            Assert.NotNull(await session.GetTownAsync("42187")); // the session sees its own write
        }

        Assert.Null(await store.Store.GetTownAsync("42187"));
        Assert.Empty(await store.Outbox.PendingAsync(10, default));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task Towns_are_read_by_name_then_id_whole_by_ids_or_in_pages(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var (roanne, riorges, mably, twin) = (Town("42187") with { Name = "Roanne" }, Town("42184") with { Name = "Riorges" },
            Town("42127") with { Name = "Mably" }, Town("99999") with { Name = "Roanne" });
        await AddAsync(store.Store, async s => { foreach (var t in new[] { roanne, riorges, mably, twin }) await s.AddTownAsync(t); });

        async Task<string[]> Ids(IReadOnlyCollection<string>? ids = null, TownPage? page = null) =>
            (await store.Store.GetTownsAsync(ids, page)).Select(t => t.Id).ToArray();

        Assert.Equal(["42127", "42184", "42187", "99999"], await Ids());
        Assert.Equal(["42184", "42187"], await Ids(["42187", "42184"]));
        Assert.Equal(["42127", "42184"], await Ids(page: new TownPage(null, 2)));
        Assert.Equal(["42187", "99999"], await Ids(page: new TownPage(TownCursor.Of(riorges), 2)));
        Assert.Equal(["99999"], await Ids(page: new TownPage(TownCursor.Of(roanne), 2))); // same name: the id decides
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task Each_new_name_is_numbered_and_a_page_up_to_an_earlier_number_leaves_the_renamed_town_out(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var (roanne, riorges) = (Town("42187") with { Name = "Roanne" }, Town("42184") with { Name = "Riorges" });
        await AddAsync(store.Store, async s => { foreach (var t in new[] { roanne, riorges }) await s.AddTownAsync(t); });
        Assert.Equal(0, await store.Store.TownRenamesAsync());

        await AddAsync(store.Store, s => s.UpdateTownAsync(roanne with { Lat = 46.05 })); // moved, not renamed
        var before = await store.Store.TownRenamesAsync();
        await AddAsync(store.Store, s => s.UpdateTownAsync(roanne with { Name = "Aaa" }));

        Assert.Equal((0, 1), (before, await store.Store.TownRenamesAsync()));
        Assert.Equal(["42184"], (await store.Store.GetTownsAsync(page: new TownPage(null, 10, RenamedUpTo: before))).Select(t => t.Id));
        Assert.Equal(["42187", "42184"], (await store.Store.GetTownsAsync(page: new TownPage(null, 10, RenamedUpTo: 1))).Select(t => t.Id));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_page_of_towns_can_hold_only_the_suspended_or_the_active_ones_or_one_INSEE_codes(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var (roanne, riorges, twin, uncoded) = (Town("42187") with { Name = "Roanne" },
            Town("42184") with { Name = "Riorges", Suspension = new TownSuspension("fraudulent offers", At) },
            Town("town-1") with { Name = "Roanne Co-op", InseeCode = "42187" }, Town("town-2") with { Name = "Mably", InseeCode = null });
        await AddAsync(store.Store, async s => { foreach (var t in new[] { roanne, riorges, twin, uncoded }) await s.AddTownAsync(t); });

        async Task<string[]> Ids(TownPage page) => (await store.Store.GetTownsAsync(page: page)).Select(t => t.Id).ToArray();

        Assert.Equal(["42184"], await Ids(new TownPage(null, 10, Suspended: true)));
        Assert.Equal(["town-2", "42187", "town-1"], await Ids(new TownPage(null, 10, Suspended: false)));
        Assert.Equal(["42187", "town-1"], await Ids(new TownPage(null, 10, InseeCode: "42187")));
        Assert.Equal(["town-1"], await Ids(new TownPage(TownCursor.Of(roanne), 10, Suspended: false, InseeCode: "42187")));
        Assert.Empty(await Ids(new TownPage(null, 10, Suspended: true, InseeCode: "42187")));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_town_id_or_key_hash_can_be_registered_only_once(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        await AddAsync(store.Store, s => s.AddTownAsync(Town("42187", "hash-1")));

        await Assert.ThrowsAsync<CatalogConflictException>(() => AddAsync(store.Store, s => s.AddTownAsync(Town("42187", "hash-2"))));
        await Assert.ThrowsAsync<CatalogConflictException>(() => AddAsync(store.Store, s => s.AddTownAsync(Town("42283", "hash-1"))));
        Assert.Single(await store.Store.GetTownsAsync());
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_towns_new_key_hash_replaces_the_old_in_one_write_so_only_the_new_one_finds_it(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var town = Town("42187", "hash-1");
        await AddAsync(store.Store, s => s.AddTownAsync(town));

        await using (var session = await store.Store.BeginAsync())
        {
            await session.ReplaceTownKeyAsync("42187", "hash-1", "hash-2");
            Assert.Equal("hash-2", (await session.GetTownAsync("42187"))!.ApiKeyHash); // the session sees its own write
            Assert.Equal("hash-1", (await store.Store.GetTownAsync("42187"))!.ApiKeyHash); // others do not, yet
            await session.CommitAsync();
        }

        Assert.Null(await store.Store.FindTownByKeyHashAsync("hash-1"));
        AssertSame(town with { ApiKeyHash = "hash-2" }, await store.Store.FindTownByKeyHashAsync("hash-2"));
        AssertSame(town with { ApiKeyHash = "hash-2" }, await store.Store.GetTownAsync("42187"));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_key_replacement_lands_only_on_the_key_it_read_and_never_on_another_towns_key(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        await AddAsync(store.Store, async s =>
        {
            await s.AddTownAsync(Town("42187", "hash-1"));
            await s.AddTownAsync(Town("42184", "other-hash"));
        });
        await AddAsync(store.Store, s => s.ReplaceTownKeyAsync("42187", "hash-1", "hash-2"));

        // A second rotation that read hash-1 before the first committed: refused, so the caller retries from hash-2.
        await Assert.ThrowsAsync<CatalogConflictException>(() => AddAsync(store.Store, s => s.ReplaceTownKeyAsync("42187", "hash-1", "hash-3")));
        await Assert.ThrowsAsync<CatalogConflictException>(() => AddAsync(store.Store, s => s.ReplaceTownKeyAsync("42187", "hash-2", "other-hash")));
        await Assert.ThrowsAsync<CatalogConflictException>(() => AddAsync(store.Store, s => s.ReplaceTownKeyAsync("nowhere", "hash-2", "hash-4")));

        Assert.Equal("hash-2", (await store.Store.GetTownAsync("42187"))!.ApiKeyHash);
        Assert.Equal("42184", (await store.Store.FindTownByKeyHashAsync("other-hash"))!.Id);
        Assert.Null(await store.Store.FindTownByKeyHashAsync("hash-3"));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_replaced_key_joins_the_revoked_key_feed_in_the_same_write(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        await AddAsync(store.Store, s => s.AddTownAsync(Town("42187", "hash-1")));

        await using (var session = await store.Store.BeginAsync())
        {
            await session.ReplaceTownKeyAsync("42187", "hash-1", "hash-2");
            Assert.Equal(1, await session.RevokeKeyAsync("hash-1", At));
            Assert.Empty((await store.Store.GetRevokedKeysAsync(0, 10)).Keys); // others do not see it before the commit
            await session.CommitAsync();
        }

        var page = await store.Store.GetRevokedKeysAsync(0, 10);
        AssertSame(new[] { new RevokedKey(1, "hash-1", At) }, page.Keys);
        Assert.Equal(1, page.Newest);
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_key_replacement_that_conflicts_or_is_not_committed_lists_no_revoked_key(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        await AddAsync(store.Store, s => s.AddTownAsync(Town("42187", "hash-1")));

        // Another rotation committed first: this one read hash-0, so its replacement fails before it records anything.
        await Assert.ThrowsAsync<CatalogConflictException>(() => AddAsync(store.Store, async s =>
        {
            await s.ReplaceTownKeyAsync("42187", "hash-0", "hash-2");
            await s.RevokeKeyAsync("hash-0", At);
        }));
        await using (var session = await store.Store.BeginAsync())
        {
            await session.ReplaceTownKeyAsync("42187", "hash-1", "hash-3");
            await session.RevokeKeyAsync("hash-1", At);
        }

        var page = await store.Store.GetRevokedKeysAsync(0, 10);
        Assert.Equal((0, 0L), (page.Keys.Count, page.Newest));
        Assert.Equal("hash-1", (await store.Store.GetTownAsync("42187"))!.ApiKeyHash);
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task The_revoked_key_feed_is_read_in_pages_after_a_sequence(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        foreach (var (hash, i) in new[] { "a", "b", "c", "d", "e" }.Select((h, i) => (h, i)))
            await AddAsync(store.Store, s => s.RevokeKeyAsync(hash, At.AddSeconds(i)));

        async Task<string> Page(long after, int limit)
        {
            var page = await store.Store.GetRevokedKeysAsync(after, limit);
            return string.Concat(page.Keys.Select(k => $"{k.Sequence}:{k.KeyHash} ")) + $"(newest {page.Newest})";
        }

        Assert.Equal("1:a 2:b (newest 5)", await Page(0, 2));
        Assert.Equal("3:c 4:d (newest 5)", await Page(2, 2));
        Assert.Equal("5:e (newest 5)", await Page(4, 2));
        Assert.Equal("(newest 5)", await Page(5, 2));
        Assert.Equal(At.AddSeconds(4), (await store.Store.GetRevokedKeysAsync(4, 1)).Keys[0].RevokedAt);
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_revocation_forgets_entries_past_the_retention_and_a_reader_behind_them_learns_it(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        await AddAsync(store.Store, s => s.RevokeKeyAsync("a", At));
        await AddAsync(store.Store, s => s.RevokeKeyAsync("b", At.AddHours(1)));
        await AddAsync(store.Store, s => s.RevokeKeyAsync("c", At.AddHours(2)));

        // A day and 90 minutes after the first: the first two are past the retention, the third is not.
        await AddAsync(store.Store, s => s.RevokeKeyAsync("d", At + RevokedKey.Retention + TimeSpan.FromMinutes(90)));

        var page = await store.Store.GetRevokedKeysAsync(0, 10);
        Assert.Equal(["c", "d"], page.Keys.Select(k => k.KeyHash).ToArray());
        Assert.Equal((3L, 4L), (page.Keys[0].Sequence, page.Newest));
        Assert.True(page.LostAfter(0)); // 1 and 2 are gone: a reader at 0 missed them
        Assert.True(page.LostAfter(1));
        Assert.False(page.LostAfter(2));
        Assert.False((await store.Store.GetRevokedKeysAsync(4, 10)).LostAfter(4));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_reader_whose_entries_were_all_forgotten_learns_it_from_the_newest_sequence(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        await AddAsync(store.Store, s => s.RevokeKeyAsync("a", At));
        await AddAsync(store.Store, s => s.RevokeKeyAsync("b", At.AddDays(3)));

        var behind = await store.Store.GetRevokedKeysAsync(0, 10);
        var empty = await store.Store.GetRevokedKeysAsync(2, 10);

        Assert.Equal([2L], behind.Keys.Select(k => k.Sequence).ToArray());
        Assert.True(behind.LostAfter(0));
        Assert.Equal((0, 2L), (empty.Keys.Count, empty.Newest));
        Assert.False(empty.LostAfter(2));
        Assert.True(new RevokedKeyPage([], 2).LostAfter(1)); // an empty page short of the newest: entry 2 was forgotten
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_towns_idempotency_key_names_one_listing_and_cannot_be_taken_twice(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_000);
        await AddAsync(store.Store, async s =>
        {
            await s.AddTownAsync(Town("42187"));
            await s.AddTownAsync(Town("42184", "hash-2"));
            await s.AddListingAsync(Listing("l1", "42187"));
            await s.AddListingAsync(Listing("l2", "42184"));
            await s.AddListingRequestAsync(new("42187", "key-1", "l1", "fp-1", at));
            await s.AddListingRequestAsync(new("42184", "key-1", "l2", "fp-2", at)); // another town's key of the same name
        });

        await Assert.ThrowsAsync<CatalogConflictException>(() =>
            AddAsync(store.Store, s => s.AddListingRequestAsync(new("42187", "key-1", "l2", "fp-3", at))));
        await using var session = await store.Store.BeginAsync();
        Assert.Equal(new ListingRequest("42187", "key-1", "l1", "fp-1", at), await session.GetListingRequestAsync("42187", "key-1"));
        Assert.Equal("l2", (await session.GetListingRequestAsync("42184", "key-1"))!.ListingId);
        Assert.Null(await session.GetListingRequestAsync("42187", "key-2"));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_towns_open_listings_are_its_active_ones_whose_window_has_not_ended(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        await AddAsync(store.Store, async s =>
        {
            await s.AddTownAsync(Town("42187"));
            await s.AddTownAsync(Town("42184", "hash-2"));
            await s.AddListingAsync(Listing("open", "42187")); // until At + 30 days
            await s.AddListingAsync(Listing("no-end", "42187") with { AvailableUntil = null });
            await s.AddListingAsync(Listing("ended", "42187") with { AvailableUntil = At.AddDays(-1) });
            await s.AddListingAsync(Listing("withdrawn", "42187") with { Status = ListingStatuses.Withdrawn });
            await s.AddListingAsync(Listing("exhausted", "42187") with { Status = ListingStatuses.Exhausted });
            await s.AddListingAsync(Listing("other-town", "42184"));
        });

        await using var session = await store.Store.BeginAsync();
        Assert.Equal(2, await session.CountOpenListingsAsync("42187", At));
        Assert.Equal(1, await session.CountOpenListingsAsync("42187", At.AddDays(31)));
        Assert.Equal(1, await session.CountOpenListingsAsync("42184", At));
        Assert.Equal(0, await session.CountOpenListingsAsync("nowhere", At));
        // Created at the same time, so in id order.
        Assert.Equal(["no-end", "open"], (await session.GetOpenListingsAsync("42187", At)).Select(l => l.Id).ToArray());
        Assert.Equal(["no-end"], (await session.GetOpenListingsAsync("42187", At.AddDays(31))).Select(l => l.Id).ToArray());
        Assert.Empty(await session.GetOpenListingsAsync("nowhere", At));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_town_change_sets_its_name_position_and_specialties_and_keeps_its_key_insee_code_and_registration(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var town = Town("42187", "hash-1");
        await AddAsync(store.Store, s => s.AddTownAsync(town));

        // Sent with another key hash and INSEE code: the update must take neither (a rotation owns the key).
        await AddAsync(store.Store, s => s.UpdateTownAsync(town with
        {
            Name = "Roanne", Lat = 46.0443, Lon = 4.07974, Specialties = ["firewood"], ApiKeyHash = "hash-2", InseeCode = "69123",
            RegisteredAt = At.AddDays(1),
        }));

        var expected = town with { Name = "Roanne", Lat = 46.0443, Lon = 4.07974, Specialties = ["firewood"] };
        AssertSame(expected, await store.Store.GetTownAsync("42187"));
        AssertSame(expected, await store.Store.FindTownByKeyHashAsync("hash-1"));
        await Assert.ThrowsAsync<CatalogConflictException>(() => AddAsync(store.Store, s => s.UpdateTownAsync(Town("nowhere"))));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_town_change_and_its_listings_new_versions_land_together_or_not_at_all(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var town = Town("42187");
        var listing = Listing("l1", "42187");
        await AddAsync(store.Store, async s =>
        {
            await s.AddTownAsync(town);
            await s.AddListingAsync(listing);
        });
        var moved = town with { Lat = 45.9, Lon = 4.2 };

        await using (var session = await store.Store.BeginAsync())
        {
            await session.UpdateTownAsync(moved);
            await session.UpdateListingAsync(listing.Relocated(), listing.Version);
            // A listing changed meanwhile (here, by the same write) makes the move conflict as a whole.
            await Assert.ThrowsAsync<CatalogConflictException>(() => session.UpdateListingAsync(listing.Relocated(), listing.Version));
        }
        AssertSame(town, await store.Store.GetTownAsync("42187"));
        AssertSame(listing, await store.Store.GetListingAsync("l1"));

        await AddAsync(store.Store, async s =>
        {
            await s.UpdateTownAsync(moved);
            await s.UpdateListingAsync(listing.Relocated(), listing.Version);
        });
        AssertSame(moved, await store.Store.GetTownAsync("42187"));
        Assert.Equal(2, (await store.Store.GetListingAsync("l1"))!.Version);
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_listing_update_lands_only_on_the_version_it_read(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var listing = Listing("l1", "42187");
        await AddAsync(store.Store, async s =>
        {
            await s.AddTownAsync(Town("42187"));
            await s.AddListingAsync(listing);
        });

        var reserved = listing.Reserve(30);
        await AddAsync(store.Store, s => s.UpdateListingAsync(reserved, expectedVersion: 1));
        await Assert.ThrowsAsync<CatalogConflictException>(() =>
            AddAsync(store.Store, s => s.UpdateListingAsync(listing.Reserve(50), expectedVersion: 1)));

        var stored = await store.Store.GetListingAsync("l1");
        AssertSame(reserved, stored);
        Assert.Equal((70.0, 30.0, 2L), (stored!.Remaining, stored.Reserved, stored.Version));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_stored_listing_keeps_the_terms_fingerprint_of_the_snapshot_matching_was_sent(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        // Times below the millisecond and off UTC, a number with float noise: what a store or the bus could reshape.
        var from = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var listing = Listing("l1", "42187", ListingKinds.Need) with
        {
            MinLot = 0.1 + 0.2, Requires = ["raw", "organic"], AvailableFrom = from, AvailableUntil = from.AddDays(3), MaxDistanceKm = 12.7,
        };
        await AddAsync(store.Store, async s =>
        {
            await s.AddTownAsync(Town("42187"));
            await s.AddListingAsync(listing);
        });
        var cheese = CategorySeed.All.Single(c => c.Id == "cheese");
        // Matching's path: the snapshot through the bus's JSON, its book copy read from it.
        var sent = JsonSerializer.Serialize(ListingSnapshots.Of(listing, Town("42187"), cheese), JsonSerializerOptions.Web);
        var copy = JsonSerializer.Deserialize<ListingSnapshot>(sent, JsonSerializerOptions.Web)!;

        var stored = await store.Store.GetListingAsync("l1");

        var town = Town("42187");
        Assert.Equal(ListingTermsFingerprint.Of(copy), stored!.TermsFingerprint(town));
        Assert.Equal(ListingTermsFingerprint.WithoutPosition(copy), stored.TermsFingerprintWithoutPosition);
        Assert.Equal(listing.TermsFingerprint(town), stored.TermsFingerprint(town));
        Assert.Equal(stored.TermsFingerprint(town), stored.Reserve(5).TermsFingerprint(town));
        Assert.NotEqual(stored.TermsFingerprint(town), stored.Change(stored.Terms with { Requires = ["raw"] }).TermsFingerprint(town));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_listing_changed_to_cleared_terms_reads_back_without_them(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var need = Listing("l1", "42187", ListingKinds.Need);
        await AddAsync(store.Store, async s =>
        {
            await s.AddTownAsync(Town("42187"));
            await s.AddListingAsync(need);
        });

        var cleared = need.Change(new ListingTerms(need.Quantity, 0, [], [], null, null, null));
        await AddAsync(store.Store, s => s.UpdateListingAsync(cleared, expectedVersion: 1));

        var stored = await store.Store.GetListingAsync("l1");
        AssertSame(cleared, stored);
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)null, (double?)null, 0.0, 0, 2L),
            (stored!.AvailableFrom, stored.AvailableUntil, stored.MaxDistanceKm, stored.MinLot, stored.Requires.Length, stored.Version));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task Listings_are_found_by_town_kind_category_status_and_ids(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        await AddAsync(store.Store, async s =>
        {
            await s.AddTownAsync(Town("42187"));
            await s.AddTownAsync(Town("42283"));
            await s.AddListingAsync(Listing("a", "42187"));
            await s.AddListingAsync(Listing("b", "42187", ListingKinds.Need) with { CreatedAt = At.AddSeconds(1) });
            await s.AddListingAsync(Listing("c", "42283", category: "firewood") with { CreatedAt = At.AddSeconds(2) });
            await s.AddListingAsync(Listing("d", "42283") with { Status = ListingStatuses.Withdrawn, CreatedAt = At.AddSeconds(3) });
        });

        async Task<string[]> Ids(ListingQuery query) => (await store.Store.FindListingsAsync(query)).Select(l => l.Id).ToArray();

        Assert.Equal(["a", "b", "c", "d"], await Ids(new()));
        Assert.Equal(["a", "b"], await Ids(new(TownId: "42187")));
        Assert.Equal(["b"], await Ids(new(Kind: ListingKinds.Need)));
        Assert.Equal(["c"], await Ids(new(Category: "firewood")));
        Assert.Equal(["a", "b", "c"], await Ids(new(Status: ListingStatuses.Active, At: At)));
        Assert.Equal(["a", "d"], await Ids(new(Ids: ["d", "a", "zz"])));
        Assert.Equal(["d"], await Ids(new(TownId: "42283", Category: "cheese", Kind: ListingKinds.Offer)));
        // Pages: after a listing, in the same order, at most Limit.
        Assert.Equal(["a", "b"], await Ids(new(Limit: 2)));
        Assert.Equal(["c", "d"], await Ids(new(After: new ListingCursor(At.AddSeconds(1), "b"), Limit: 2)));
        Assert.Equal(["c"], await Ids(new(Status: ListingStatuses.Active, After: new ListingCursor(At.AddSeconds(1), "b"), At: At)));
        AssertSame(Listing("b", "42187", ListingKinds.Need) with { CreatedAt = At.AddSeconds(1) }, await store.Store.GetListingAsync("b"));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task Active_lists_only_the_open_listings_and_ended_the_active_ones_whose_window_is_over(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        await AddAsync(store.Store, async s =>
        {
            await s.AddTownAsync(Town("42187"));
            await s.AddListingAsync(Listing("open", "42187")); // until At + 30 days
            await s.AddListingAsync(Listing("no-end", "42187") with { AvailableUntil = null, CreatedAt = At.AddSeconds(1) });
            await s.AddListingAsync(Listing("ended", "42187") with { AvailableUntil = At.AddDays(-1), CreatedAt = At.AddSeconds(2) });
            await s.AddListingAsync(Listing("exhausted-ended", "42187") with
            {
                Status = ListingStatuses.Exhausted, AvailableUntil = At.AddDays(-1), CreatedAt = At.AddSeconds(3),
            });
        });

        async Task<string[]> Ids(ListingQuery query) => (await store.Store.FindListingsAsync(query)).Select(l => l.Id).ToArray();

        Assert.Equal(["open", "no-end"], await Ids(new(Status: ListingStatuses.Active, At: At)));
        Assert.Equal(["ended"], await Ids(new(Status: ListingStatuses.Ended, At: At)));
        Assert.Equal(["no-end"], await Ids(new(Status: ListingStatuses.Active, At: At.AddDays(31))));
        Assert.Equal(["open", "ended"], await Ids(new(Status: ListingStatuses.Ended, At: At.AddDays(31))));
        Assert.Equal(["exhausted-ended"], await Ids(new(Status: ListingStatuses.Exhausted)));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_trade_has_at_most_one_reservation_and_it_round_trips(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var trade = Guid.NewGuid();
        var reservation = new Reservation(trade, true, "", [new("a", 2.5), new("b", 4)], ReservationStates.Held, At);

        await AddAsync(store.Store, s => s.AddReservationAsync(reservation));
        await Assert.ThrowsAsync<CatalogConflictException>(() => AddAsync(store.Store, s => s.AddReservationAsync(reservation)));
        await AddAsync(store.Store, s => s.UpdateReservationAsync(reservation with { State = ReservationStates.Released }));

        AssertSame(reservation with { State = ReservationStates.Released }, await store.Store.GetReservationAsync(trade));
        Assert.Null(await store.Store.GetReservationAsync(Guid.NewGuid()));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task The_trades_holding_a_listing_are_those_whose_held_reservation_has_a_line_on_it_oldest_first(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var (older, newer, released, elsewhere) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await AddAsync(store.Store, async s =>
        {
            await s.AddReservationAsync(new Reservation(newer, true, "", [new("b", 1), new("a", 2)], ReservationStates.Held, At.AddMinutes(1)));
            await s.AddReservationAsync(new Reservation(older, true, "", [new("a", 3)], ReservationStates.Held, At));
            await s.AddReservationAsync(new Reservation(released, true, "", [new("a", 3)], ReservationStates.Released, At));
            await s.AddReservationAsync(new Reservation(elsewhere, true, "", [new("c", 3)], ReservationStates.Held, At));
            await s.AddReservationAsync(new Reservation(Guid.NewGuid(), false, "refused", [new("a", 9)], ReservationStates.Refused, At));
        });

        await using var session = await store.Store.BeginAsync();
        Assert.Equal([older, newer], await session.TradesHoldingAsync("a"));
        Assert.Equal([newer], await session.TradesHoldingAsync("b"));
        Assert.Empty(await session.TradesHoldingAsync("nothing"));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_message_is_consumed_once_per_consumer(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var message = Guid.NewGuid();

        var first = await ConsumeAsync(store.Store, message, "catalog-trade-cancelled");
        var again = await ConsumeAsync(store.Store, message, "catalog-trade-cancelled");
        var otherConsumer = await ConsumeAsync(store.Store, message, "catalog-trade-completed");

        Assert.Equal((true, false, true), (first, again, otherConsumer));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task The_relay_sees_events_in_order_until_they_are_marked_sent(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        await AddAsync(store.Store, s =>
        {
            s.Publish(new ListingWithdrawn("a", "42187", 2));
            s.Publish(new ListingWithdrawn("b", "42187", 2));
            return Task.CompletedTask;
        });

        var pending = await store.Outbox.PendingAsync(10, default);
        await store.Outbox.MarkSentAsync([pending[0].Id], default);

        Assert.Equal(["a", "b"], pending.Select(p => ((ListingWithdrawn)p.Deserialize()).ListingId).ToArray());
        Assert.Equal("b", ((ListingWithdrawn)Assert.Single(await store.Outbox.PendingAsync(10, default)).Deserialize()).ListingId);
    }

    private static async Task AddAsync(ICatalogStore store, Func<ICatalogSession, Task> write)
    {
        await using var session = await store.BeginAsync();
        await write(session);
        await session.CommitAsync();
    }

    private static async Task<bool> ConsumeAsync(ICatalogStore store, Guid message, string consumer)
    {
        await using var session = await store.BeginAsync();
        var first = await session.TryConsumeAsync(message, consumer);
        await session.CommitAsync();
        return first;
    }

    /// <summary>A fresh, seeded store: a SQLite file in a temp folder, or a throw-away MongoDB database.</summary>
    private sealed class StoreUnderTest(ICatalogStore store, IOutboxStore outbox, Func<Task> cleanUp) : IAsyncDisposable
    {
        public ICatalogStore Store => store;
        public IOutboxStore Outbox => outbox;

        public static async Task<StoreUnderTest> OpenAsync(string adapter)
        {
            StoreUnderTest opened;
            if (adapter == "mongo")
            {
                var client = new MongoClient(Environment.GetEnvironmentVariable("TRADENET_TEST_MONGO"));
                var name = $"catalog_test_{Guid.NewGuid():N}";
                var mongo = new MongoCatalogStore(client, name);
                opened = new(mongo, new CatalogMongoOutbox(mongo), () => client.DropDatabaseAsync(name));
            }
            else
            {
                var settings = new TestSettings();
                var sqlite = new SqliteCatalogStore(Path.Combine(settings.DataDir, "catalog.db"));
                opened = new(sqlite, new CatalogSqliteOutbox(sqlite), () =>
                {
                    settings.Dispose();
                    return Task.CompletedTask;
                });
            }
            await opened.Store.InitializeAsync(CategorySeed.All);
            return opened;
        }

        public async ValueTask DisposeAsync() => await cleanUp();
    }
}
