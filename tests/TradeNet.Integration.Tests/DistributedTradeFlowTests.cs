using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;

namespace TradeNet.Integration.Tests;

[CollectionDefinition(nameof(DistributedCollection))]
public sealed class DistributedCollection : ICollectionFixture<DistributedTradeNet>;

[Collection(nameof(DistributedCollection))]
public sealed class DistributedTradeFlowTests(DistributedTradeNet tradeNet)
{
    [Fact]
    public async Task Two_towns_trade_from_listing_to_delivery_across_separate_processes_and_rabbitmq()
    {
        await tradeNet.ExplainFailureAsync(async () =>
        {
            var completed = await new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey).RunToCompletion();

            Assert.Equal("completed", completed.GetProperty("status").GetString());
            Assert.Equal(2, completed.GetProperty("legs").GetArrayLength());
        });
    }
}
