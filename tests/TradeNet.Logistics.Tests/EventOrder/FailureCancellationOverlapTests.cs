using System.Net;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.EventOrder;

/// <summary>
/// A carrier's failure of goods on the road and a TradeCancelled of their trade (one that did not ask StopTrade first, so
/// the goods finish or fail) overlapping as MongoDB runs them, staged over SQLite: the failure's write reads the trade as
/// not cancelled (its snapshot), the stop commits meanwhile. The stop leaves the picked-up shipment and its transfer alone
/// (goods on the road), and the failure writes only those, so without a shared document both committed: the leg read
/// <c>pending</c> for a cancelled trade and the next planning run gave it a new shipment. One after the other either
/// order cancels the leg; the failure now takes the trade's guard, so one of the two is retried.
/// </summary>
public class FailureCancellationOverlapTests
{
    [Fact]
    public async Task A_failure_of_goods_on_the_road_overlapping_their_trades_cancellation_leaves_the_leg_cancelled_not_planned_again()
    {
        using var app = new LogisticsApp();
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        var agreed = Towns.Swap(trade, a, b);
        await app.PublishAsync(agreed);
        var leg = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Single(s => s.LegIndex == 0);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/pickup", TestSettings.TownAuth(a))).StatusCode);

        var store = app.Services.GetRequiredService<ILogisticsStore>();
        var staged = StagedTradeWrite.Over(store, trade, () => app.PublishAsync(new TradeCancelled(trade, "a town withdrew", true, agreed.Legs)));
        var tracking = new ShipmentTracking(staged, TimeProvider.System, app.Services.GetRequiredService<IOptions<LogisticsOptions>>(),
            app.Services.GetRequiredService<HandoverCodes>(), NullLogger<ShipmentTracking>.Instance);
        var failed = await tracking.ReportAsync(leg.Id, ShipmentAction.Fail, a, isOperator: false, "the van broke down", CancellationToken.None);
        Assert.Equal(TrackingOutcome.Applied, failed.Outcome);
        await app.PlanAsync();

        await using var read = await store.BeginAsync();
        Assert.Equal(TransferStatus.Cancelled, (await read.TransfersOfTradeAsync(trade)).Single(t => t.LegIndex == 0).Status);
        Assert.DoesNotContain(await read.ShipmentsOfTradeAsync(trade), s => s.LegIndex == 0 && s.Status == ShipmentStatus.Planned);
    }

    /// <summary>The store's first session is staged: it keeps whether the trade was cancelled (its snapshot), runs
    /// <c>beforeWrite</c> (committed meanwhile), and then answers that snapshot; the trade's guard, written by every stop of
    /// it, fails as a write conflict when the trade was cancelled since. Later sessions are the store's own.</summary>
    public class StagedTradeWrite : DispatchProxy
    {
        private ILogisticsStore _store = null!;
        private Guid _trade;
        private Func<Task> _beforeWrite = null!;
        private int _sessions;

        public static ILogisticsStore Over(ILogisticsStore store, Guid trade, Func<Task> beforeWrite)
        {
            var proxy = Create<ILogisticsStore, StagedTradeWrite>();
            var staging = (StagedTradeWrite)(object)proxy;
            (staging._store, staging._trade, staging._beforeWrite) = (store, trade, beforeWrite);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args) =>
            method!.Name == nameof(ILogisticsStore.BeginAsync) && ++_sessions == 1
                ? BeginStagedAsync((CancellationToken)args![0]!)
                : StagedPlanningWrite.Forward(_store, method, args);

        private async Task<ILogisticsSession> BeginStagedAsync(CancellationToken ct)
        {
            bool cancelled;
            await using (var snapshot = await _store.BeginAsync(ct)) cancelled = await snapshot.IsTradeCancelledAsync(_trade, ct);
            await _beforeWrite();
            return Session.Over(await _store.BeginAsync(ct), _trade, cancelled);
        }

        public class Session : DispatchProxy
        {
            private ILogisticsSession _inner = null!;
            private Guid _trade;
            private bool _cancelled;

            public static ILogisticsSession Over(ILogisticsSession inner, Guid trade, bool cancelled)
            {
                var proxy = Create<ILogisticsSession, Session>();
                var session = (Session)(object)proxy;
                (session._inner, session._trade, session._cancelled) = (inner, trade, cancelled);
                return proxy;
            }

            protected override object? Invoke(MethodInfo? method, object?[]? args) => method!.Name switch
            {
                nameof(ILogisticsSession.IsTradeCancelledAsync) when (Guid)args![0]! == _trade => Task.FromResult(_cancelled),
                nameof(ILogisticsSession.SerializeTradeAsync) when (Guid)args![0]! == _trade => GuardAsync((CancellationToken)args[1]!),
                _ => StagedPlanningWrite.Forward(_inner, method, args),
            };

            private async Task GuardAsync(CancellationToken ct)
            {
                if (await _inner.IsTradeCancelledAsync(_trade, ct) != _cancelled)
                    throw new ConcurrencyConflictException($"write conflict on trade {_trade}'s guard (staged)");
                await _inner.SerializeTradeAsync(_trade, ct);
            }
        }
    }
}
