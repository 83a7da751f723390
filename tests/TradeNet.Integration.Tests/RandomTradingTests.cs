using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>Towns trading at random and at once over separate processes and RabbitMQ: every answer one the action
/// expects, and afterwards catalog, matching and logistics telling one story (<see cref="ConsistencyAudit"/>).</summary>
[Collection(nameof(DistributedCollection))]
public sealed class RandomTradingTests(DistributedTradeNet tradeNet, ITestOutputHelper output)
{
    [Fact]
    public Task Towns_trading_at_random_at_once_leave_catalog_matching_and_logistics_agreeing_on_every_listing_and_trade() =>
        RandomTradingScenario.RunAndCheckAsync(tradeNet, seed: 7, output);
}
