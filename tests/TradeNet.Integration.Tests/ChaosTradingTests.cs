using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>Towns trading at random while catalog, matching, logistics and the gateway are killed and the broker stopped
/// at random moments (<see cref="Chaos"/>): each answer one the action expects, or lost to the outage it met; afterwards
/// nothing lost, booked twice or stranded (<see cref="ConsistencyAudit"/>, every outbox drained, no error queue).
/// A network of its own: its outages would fail the shared network's other scenarios.</summary>
public sealed class ChaosTradingTests(DistributedTradeNet tradeNet, ITestOutputHelper output) : IClassFixture<DistributedTradeNet>
{
    /// <summary>Small enough for CI on two cores (70–80 s here, the processes' start aside); every proposal answered is
    /// accepted and no window is seconds long, so more trades reach shipments the outages can interrupt.</summary>
    public static RandomTradingOptions Light => new() { Steps = 40, StepPause = TimeSpan.FromMilliseconds(150), ShortWindows = false, AcceptTenths = 10 };

    [Fact]
    public Task Towns_trading_while_services_are_killed_and_the_broker_stopped_lose_no_trade_and_book_none_twice() =>
        tradeNet.ExplainFailureAsync(async () =>
        {
            var chaos = new Chaos(tradeNet, seed: 3, new ChaosOptions());
            var trading = await RandomTradingScenario.RunAsync(tradeNet, seed: 3, Light, chaos);

            output.WriteLine(RandomTradingScenario.Summary(trading));
            Assert.Contains("accept 200", trading.Answers.Keys);
        });
}
