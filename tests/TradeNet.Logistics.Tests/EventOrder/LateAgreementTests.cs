using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradeNet.Contracts;
using TradeNet.Logistics.Messaging;
using TradeNet.Logistics.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.EventOrder;

/// <summary>An agreement that arrives after its trade's cancellation plans nothing (the cancellation wins); an operator
/// asking why a trade's goods never moved finds the reason in the log, not silence.</summary>
public class LateAgreementTests
{
    [Fact]
    public async Task A_TradeAgreed_arriving_after_the_cancellation_plans_nothing_and_says_so_in_the_log()
    {
        var logs = new RecordedLogs();
        await using var app = new LogisticsApp { TestServices = s => s.AddSingleton<ILoggerProvider>(logs) };
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        var agreed = Towns.Swap(trade, a, b);
        await app.PublishAsync(new TradeCancelled(trade, "expired", false, agreed.Legs));

        await app.PublishAsync(agreed);

        Assert.Empty(await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()));
        Assert.Contains(logs.Of<TradeAgreedConsumer>(), l => l.Contains(trade.ToString(), StringComparison.Ordinal) && l.Contains("cancellation"));
    }
}
