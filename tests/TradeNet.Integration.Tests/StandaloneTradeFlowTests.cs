using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;

namespace TradeNet.Integration.Tests;

public sealed class StandaloneTradeFlowTests(StandaloneTradeNet tradeNet) : IClassFixture<StandaloneTradeNet>
{
    [Fact]
    public async Task The_same_trade_flow_passes_against_the_standalone_host()
    {
        await tradeNet.ExplainFailureAsync(async () =>
        {
            var completed = await new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey).RunToCompletion();

            Assert.Equal("completed", completed.GetProperty("status").GetString());
        });
    }
}
