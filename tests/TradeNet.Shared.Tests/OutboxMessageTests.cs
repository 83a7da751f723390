using TradeNet.Contracts;
using TradeNet.Shared.Storage;

namespace TradeNet.Shared.Tests;

public sealed class OutboxMessageTests
{
    [Fact]
    public void An_event_round_trips_through_the_outbox_format()
    {
        var leg = new TradeLeg(0, "A", "B", "L1", "L2", "cheese", 3, 30, 3, new TradePoint(46, 4), new TradePoint(45.9, 4.1), null, null);
        var original = new TradeAgreed(Guid.NewGuid(), [leg]);

        var restored = (TradeAgreed)OutboxMessage.From(original).Deserialize();

        Assert.Equal(original.TradeId, restored.TradeId);
        Assert.Equal(leg, restored.Legs.Single());
    }

    [Fact]
    public void Only_contract_types_can_be_deserialised()
    {
        var forged = new OutboxMessage(Guid.NewGuid(), typeof(OutboxBacklog).FullName!, "{}", null, DateTimeOffset.UtcNow);

        Assert.Throws<InvalidOperationException>(() => forged.Deserialize());
    }
}
