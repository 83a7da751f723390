using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>With a fleet, an agreed trade's legs are planned by a later run (every 15 minutes by default), which no
/// request starts: its ShipmentPlanned events must still lead an operator to the run and back to the trade's agreement.</summary>
/// <remarks>A host per test: the fleet is global to a host.</remarks>
public sealed class PlanningTraceTests : IDisposable
{
    private readonly SpanRecorder _spans = new(TradeNetTelemetry.Name, "MassTransit");

    [Fact]
    public async Task A_scheduled_planning_runs_ShipmentPlanned_events_are_in_the_runs_trace_which_links_to_the_trades_agreement()
    {
        await using var app = new LogisticsApp { Settings = { ["Logistics:PlanningInterval"] = "00:00:00.300" } };
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var trade = Guid.NewGuid();

        await app.PublishAsync(Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon));

        var agreedIn = (await _spans.FirstAsync(s => s.Kind == ActivityKind.Consumer && Trade(s) == trade.ToString(), "the agreement's consumer span")).TraceId;
        var relays = await Eventually.Until(() => Task.FromResult(_spans.Stopped.Where(s => s.OperationName == "outbox relay" && Trade(s) == trade.ToString()
                && ((string?)s.GetTagItem("tradenet.event_type"))?.EndsWith(".ShipmentPlanned", StringComparison.Ordinal) == true).ToList()),
            r => r.Count == 2, what: "both legs' ShipmentPlanned relayed");
        Assert.All(relays, relay =>
        {
            Assert.NotEqual(default, relay.ParentSpanId);
            var run = Assert.Single(_spans.Stopped, s => s.OperationName == "planning run" && s.TraceId == relay.TraceId);
            Assert.Contains(_spans.Stopped, s => s.OperationName == "route planning" && s.ParentSpanId == run.SpanId);
            Assert.Contains(agreedIn, run.Links.Select(l => l.Context.TraceId));
            Assert.Equal(2, run.GetTagItem("tradenet.shipments"));
        });
    }

    [Fact]
    public async Task A_planning_run_that_fails_ends_its_span_as_an_error_with_the_reason()
    {
        var reason = $"planner broke {Guid.NewGuid():N}";
        await using var app = new LogisticsApp { TestServices = s => s.AddSingleton<IShipmentPlanner>(new FailingPlanner(reason)) };
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        await app.PublishAsync(Towns.SwapBetween(Guid.NewGuid(), roanne, Towns.Roanne, lyon, Towns.Lyon));

        // As the schedule calls it: no request around it.
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.Services.GetRequiredService<ShipmentPlanning>()
            .PlanPendingAsync(app.Services.GetRequiredService<ILogisticsStore>(), 100, CancellationToken.None));

        var run = Assert.Single(_spans.Stopped, s => s.OperationName == "planning run" && s.StatusDescription?.Contains(reason, StringComparison.Ordinal) == true);
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.Contains(run.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task A_planning_run_answers_soon_after_its_commit_when_the_trades_traces_are_slow_to_read()
    {
        await using var app = new LogisticsApp { Settings = { ["Logistics:PlanningInterval"] = "00:00:00" } };
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        await app.PublishAsync(Towns.SwapBetween(Guid.NewGuid(), roanne, Towns.Roanne, lyon, Towns.Lyon));
        var store = SlowTradeTraces.Over(app.Services.GetRequiredService<ILogisticsStore>());

        // A store whose trade trace reads never answer: the links are the span's, the run is committed and must return.
        // Under a span of the test's own: other classes' planning runs stop in this process too, some with two shipments.
        using var caller = new Activity("test").Start();
        var run = await app.Services.GetRequiredService<ShipmentPlanning>().PlanPendingAsync(store, 100, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(2, run.Shipments.Count);
        var span = Assert.Single(_spans.Stopped, s => s.OperationName == "planning run" && s.ParentSpanId == caller.SpanId
            && Equals(s.GetTagItem("tradenet.shipments"), 2)
            && s.Links.Any() is false && s.Status == ActivityStatusCode.Unset);
        Assert.True(span.Duration < TimeSpan.FromSeconds(10), $"the run's span lasted {span.Duration}");
    }

    /// <summary>The store as it is, but a trade's trace is read only when the read is given up.</summary>
    public class SlowTradeTraces : DispatchProxy
    {
        private ILogisticsStore _store = null!;

        public static ILogisticsStore Over(ILogisticsStore store)
        {
            var proxy = Create<ILogisticsStore, SlowTradeTraces>();
            ((SlowTradeTraces)(object)proxy)._store = store;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name == nameof(ILogisticsStore.TradeTraceAsync))
                return NeverAsync((CancellationToken)args![1]!);
            try
            {
                return method.Invoke(_store, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }

        private static async Task<string?> NeverAsync(CancellationToken ct)
        {
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        }
    }

    [Fact]
    public async Task A_planning_run_whose_store_fails_at_its_first_read_ends_its_span_as_an_error_with_the_reason()
    {
        // The store down is the likeliest failure of a run, and the run's first read is where it shows.
        var reason = $"store down {Guid.NewGuid():N}";
        await using var app = new LogisticsApp();
        var store = DispatchProxy.Create<ILogisticsStore, FailingStore>();
        ((FailingStore)(object)store).Reason = reason;

        // As POST /api/logistics/plans calls it: under its request's span.
        using (var request = new Activity("request").Start())
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => app.Services.GetRequiredService<ShipmentPlanning>()
                .PlanPendingAsync(store, 100, CancellationToken.None));

            var run = Assert.Single(_spans.Stopped, s => s.OperationName == "planning run" && s.StatusDescription?.Contains(reason, StringComparison.Ordinal) == true);
            Assert.Equal(ActivityStatusCode.Error, run.Status);
            Assert.Contains(run.Events, e => e.Name == "exception");
            Assert.Equal(request.SpanId, run.ParentSpanId);
        }
    }

    /// <summary>A store every call of which fails, as one whose database is unreachable.</summary>
    public class FailingStore : DispatchProxy
    {
        public string Reason { get; set; } = "";

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw new InvalidOperationException(Reason);
    }

    private sealed class FailingPlanner(string reason) : IShipmentPlanner
    {
        public Task<IReadOnlyList<PlannedShipment>> PlanAsync(IReadOnlyList<TransferOrder> pending, PlanningContext ctx, CancellationToken ct) =>
            throw new InvalidOperationException(reason);

        public DateTimeOffset? ReadyBefore(PlanningContext ctx) => null;
    }

    private static string? Trade(Activity span) => (string?)span.GetTagItem(TradeNetTelemetry.TradeId);

    public void Dispose() => _spans.Dispose();
}
