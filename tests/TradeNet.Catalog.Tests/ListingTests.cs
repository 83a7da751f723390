using CsCheck;
using TradeNet.Catalog.Domain;

namespace TradeNet.Catalog.Tests;

public sealed class ListingTests
{
    private static readonly Listing Apples = new("l1", "42187", ListingKinds.Offer, "apples", 10, 0, 0, 1, [], [], null, null, null,
        ListingStatuses.Active, 1, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Reserving_moves_quantity_from_remaining_to_reserved_and_bumps_the_version()
    {
        var reserved = Apples.Reserve(4);

        Assert.Equal((6.0, 4.0, ListingStatuses.Active, 2L), (reserved.Remaining, reserved.Reserved, reserved.Status, reserved.Version));
    }

    [Fact]
    public void A_listing_is_exhausted_once_everything_is_fulfilled_and_revives_when_its_quantity_grows()
    {
        var done = Apples.Reserve(10).Fulfil(10);
        var grown = done.Change(done.Terms with { Quantity = 15 });

        Assert.Equal((0.0, 0.0, 10.0, ListingStatuses.Exhausted), (done.Remaining, done.Reserved, done.Fulfilled, done.Status));
        Assert.Equal((5.0, ListingStatuses.Active), (grown.Remaining, grown.Status));
    }

    [Fact]
    public void A_fully_reserved_listing_stays_active_until_it_is_fulfilled()
    {
        var held = Apples.Reserve(10);

        Assert.Equal((0.0, ListingStatuses.Active), (held.Remaining, held.Status));
        Assert.Equal(ListingStatuses.Active, held.Release(10).Status);
    }

    [Fact]
    public void A_withdrawn_listing_stays_withdrawn_while_its_trades_settle()
    {
        var withdrawn = Apples.Reserve(3).Withdraw();

        Assert.Equal(ListingStatuses.Withdrawn, withdrawn.Release(3).Status);
        Assert.Equal(ListingStatuses.Withdrawn, withdrawn.Fulfil(3).Status);
    }

    [Fact]
    public void Any_sequence_of_reservations_releases_and_fulfilments_keeps_the_quantity_balanced()
    {
        // Each step reserves up to what is free, or settles part of what is held; the books always add up.
        var steps = Gen.Select(Gen.Int[0, 2], Gen.Double[0, 1]).Array[1, 30];
        steps.Sample(sequence =>
        {
            var listing = Apples;
            foreach (var (op, fraction) in sequence)
            {
                listing = op switch
                {
                    0 => listing.Reserve(listing.Remaining * fraction),
                    1 => listing.Release(listing.Reserved * fraction),
                    _ => listing.Fulfil(listing.Reserved * fraction),
                };
                Assert.True(listing.Remaining >= 0 && listing.Reserved >= 0 && listing.Fulfilled >= 0);
                Assert.Equal(listing.Quantity, listing.Remaining + listing.Reserved + listing.Fulfilled, 1e-4);
            }
            Assert.Equal(1 + sequence.Length, listing.Version);
        });
    }
}
