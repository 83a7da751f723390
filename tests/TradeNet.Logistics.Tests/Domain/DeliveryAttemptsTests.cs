using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Tests.Domain;

public class DeliveryAttemptsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static TransferOrder Planned(int attempts = 0) => new(Guid.NewGuid(), Guid.NewGuid(), 0, "roanne", "lyon", Towns.Roanne,
        Towns.Lyon, "cheese", 40, 40, null, null, TransferStatus.Planned, At.AddDays(-1), attempts);

    [Fact]
    public void A_failed_shipment_puts_its_transfer_back_to_pending_and_remembers_why()
    {
        var next = Planned().AfterFailedShipment("the road is closed", At, maxAttempts: 3);

        Assert.Equal((TransferStatus.Pending, 1, "the road is closed", At), (next.Status, next.Attempts, next.LastFailureReason, next.LastFailedAt));
    }

    [Fact]
    public void The_failure_that_reaches_the_limit_holds_the_transfer()
    {
        Assert.Equal(TransferStatus.Pending, Planned(attempts: 1).AfterFailedShipment("closed", At, maxAttempts: 3).Status);
        var held = Planned(attempts: 2).AfterFailedShipment("closed", At, maxAttempts: 3);

        Assert.Equal((TransferStatus.Held, 3), (held.Status, held.Attempts));
    }

    [Fact]
    public void A_limit_of_one_holds_the_transfer_after_its_first_failure() =>
        Assert.Equal(TransferStatus.Held, Planned().AfterFailedShipment("refused", At, maxAttempts: 1).Status);

    [Fact]
    public void Releasing_a_held_transfer_makes_it_pending_with_no_attempts_but_keeps_the_last_failure()
    {
        var held = Planned(attempts: 2).AfterFailedShipment("refused at the gate", At, maxAttempts: 3);

        var released = held.Released();

        Assert.Equal((TransferStatus.Pending, 0, "refused at the gate"), (released.Status, released.Attempts, released.LastFailureReason));
    }
}
