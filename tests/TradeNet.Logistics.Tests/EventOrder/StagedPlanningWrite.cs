using System.Reflection;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;

namespace TradeNet.Logistics.Tests.EventOrder;

/// <summary>
/// A planning run's write as MongoDB runs it, staged over the SQLite store (whose writes never overlap): the store given to
/// the run begins its second session (the run's write, after the read and the solve) by running <see cref="BeforeWrite"/>
/// (another write committing meanwhile), having first kept the fleet as it stood; the staged write then reads that fleet
/// (its snapshot), and a write to a vehicle stored differently now fails as Mongo's write conflict does. A stop (with its
/// re-plan) writes in its only session: staged as the first.
/// </summary>
public class StagedPlanningWrite : DispatchProxy
{
    private ILogisticsStore _store = null!;
    private int _sessions, _staged;

    /// <summary>Runs, and commits, after the staged write's snapshot was taken.</summary>
    public Func<Task> BeforeWrite { get; set; } = () => Task.CompletedTask;

    public static (ILogisticsStore Store, StagedPlanningWrite Staging) Over(ILogisticsStore store, int stagedSession = 2)
    {
        var proxy = Create<ILogisticsStore, StagedPlanningWrite>();
        var staging = (StagedPlanningWrite)(object)proxy;
        (staging._store, staging._staged) = (store, stagedSession);
        return (proxy, staging);
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args) =>
        method!.Name == nameof(ILogisticsStore.BeginAsync) && ++_sessions == _staged
            ? BeginStagedAsync((CancellationToken)args![0]!)
            : Forward(_store, method, args);

    private async Task<ILogisticsSession> BeginStagedAsync(CancellationToken ct)
    {
        var fleet = await _store.VehiclesAsync(ct: ct);
        await BeforeWrite();
        return Session.Over(await _store.BeginAsync(ct), fleet);
    }

    internal static object? Forward(object target, MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }

    /// <summary>The staged write: the fleet as its snapshot holds it; a vehicle written since fails the write to it.</summary>
    public class Session : DispatchProxy
    {
        private ILogisticsSession _inner = null!;
        private IReadOnlyList<Vehicle> _fleet = [];

        public static ILogisticsSession Over(ILogisticsSession inner, IReadOnlyList<Vehicle> fleet)
        {
            var proxy = Create<ILogisticsSession, Session>();
            var session = (Session)(object)proxy;
            (session._inner, session._fleet) = (inner, fleet);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args) => method!.Name switch
        {
            nameof(ILogisticsSession.VehiclesAsync) => Task.FromResult(_fleet),
            // A re-plan reads its one vehicle: from the same snapshot.
            nameof(ILogisticsSession.VehicleAsync) => Task.FromResult(_fleet.SingleOrDefault(v => v.Id == (string)args![0]!)),
            nameof(ILogisticsSession.GuardVehiclesAsync) => GuardAsync((IReadOnlyCollection<string>)args![0]!, (CancellationToken)args[1]!),
            _ => Forward(_inner, method, args),
        };

        private async Task GuardAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
        {
            foreach (var id in ids)
                if (await _inner.VehicleAsync(id, ct) != _fleet.SingleOrDefault(v => v.Id == id))
                    throw new ConcurrencyConflictException($"write conflict on vehicle {id} (staged)");
            await _inner.GuardVehiclesAsync(ids, ct);
        }
    }
}
