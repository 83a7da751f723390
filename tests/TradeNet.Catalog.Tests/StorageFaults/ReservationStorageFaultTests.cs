using Grpc.Core;
using TradeNet.Catalog.Storage.Sqlite;
using TradeNet.Contracts.Grpc;
using TradeNet.Shared.Storage;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests.StorageFaults;

/// <summary>The storage-fault hunt over catalog's one writing gRPC call, matching's reservation: a write that fails at
/// any step answers <c>Unavailable</c> (which matching treats as transient and retries), reserves nothing, and the same
/// call again reserves once.</summary>
public sealed class ReservationStorageFaultTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private static ReserveListingsRequest Reserve(Guid tradeId, string listing, double quantity) =>
        new() { TradeId = tradeId.ToString(), Items = { new ReservationItem { ListingId = listing, Quantity = quantity } } };

    [Fact]
    public async Task A_reservation_whose_write_fails_at_any_step_answers_unavailable_reserves_nothing_and_succeeds_when_retried()
    {
        var plan = new StorageFaultPlan(((SqliteCatalogStore)factory.Store).Database);
        var grpc = factory.Grpc(TestSettings.ServiceAuth("matching"));
        var town = await factory.RegisterTownAsync();

        var reference = await factory.PublishAsync(town.Town.Id, new Api.PublishListingRequest("offer", "cheese", 10, 1));
        plan.Arm();
        Assert.True((await grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), reference.Id, 4))).Reserved);
        var steps = plan.Disarm();
        Assert.NotEmpty(steps);

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            string listing;
            ReserveListingsRequest request;
            Exception? answer;
            IReadOnlyList<string> counted;
            var attempts = 0;
            do
            {
                // A write of the host's own overlapping the call (seen once in CI, with other test projects loading the
                // machine) can take the armed step: the reservation then succeeds untouched, and is tried again.
                listing = (await factory.PublishAsync(town.Town.Id, new Api.PublishListingRequest("offer", "cheese", 10, 1))).Id;
                request = Reserve(Guid.NewGuid(), listing, 4);
                plan.Arm(step, code);
                answer = await Record.ExceptionAsync(async () => await grpc.ReserveListingsAsync(request));
                counted = plan.Disarm();
            }
            while (answer is null && ++attempts < 3);
            var where = (plan.Failed ?? $"step {step} never reached") + $" (steps: {string.Join(" | ", counted)}; first run: {string.Join(" | ", steps)})";
            var failed = answer as RpcException ?? throw new Xunit.Sdk.XunitException($"{where}: answered {answer?.GetType().Name ?? "reserved"} three times");
            Assert.True(StatusCode.Unavailable == failed.StatusCode, $"{where}: {failed.StatusCode} {failed.Status.Detail}");
            Assert.Equal(StorageUnavailable.Detail, failed.Status.Detail);
            Assert.True(0 == (await factory.ListingAsync(listing)).Reserved, $"{where}: reserved while answering Unavailable");

            Assert.True((await grpc.ReserveListingsAsync(request)).Reserved, where);
            Assert.Equal(4, (await factory.ListingAsync(listing)).Reserved);
        }
    }
}
