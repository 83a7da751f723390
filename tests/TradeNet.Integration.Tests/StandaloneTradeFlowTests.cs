using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;

namespace TradeNet.Integration.Tests;

public sealed class StandaloneTradeFlowTests(StandaloneTradeNet tradeNet) : IClassFixture<StandaloneTradeNet>
{
    [Fact]
    public async Task The_same_trade_flow_passes_against_the_standalone_host()
    {
        try
        {
            var completed = await new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey).RunToCompletion();

            Assert.Equal("completed", completed.GetProperty("status").GetString());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n--- host log ---\n{DistributedTradeFlowTests.Tail(tradeNet.Logs())}");
        }
    }
}
