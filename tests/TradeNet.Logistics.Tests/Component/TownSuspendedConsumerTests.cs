using System.Reflection;
using System.Runtime.ExceptionServices;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Messaging;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Tests.Storage;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>The TownSuspended consumer alone in MassTransit's in-memory harness, on a store that lets a registration of
/// the town commit just before the consumer's write begins: what a carrier whose key a gateway still accepts (gateways
/// cache keys for about 2 s) can do while the suspension is on its way.</summary>
public class TownSuspendedConsumerTests
{
    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_vehicle_the_town_registers_just_before_the_suspension_is_written_is_withdrawn_with_the_others(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var town = $"roanne-{Guid.NewGuid():N}";
        var earlier = await AddAsync(s.Store, town);
        string? lastMoment = null;
        var store = RegisteringFirst.Around(s.Store, async () => lastMoment = (await AddAsync(s.Store, town)).Id);
        await using var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(store)
            .AddMassTransitTestHarness(x => x.AddConsumer<TownSuspendedConsumer>())
            .BuildServiceProvider(true);
        var harness = provider.GetTestHarness();
        await harness.Start();

        await harness.Bus.Publish(new TownSuspended(town, "fraud", DateTimeOffset.UtcNow, []));

        Assert.True(await harness.GetConsumerHarness<TownSuspendedConsumer>().Consumed.Any<TownSuspended>());
        Assert.False(await harness.Published.Any<Fault<TownSuspended>>());
        Assert.NotNull(lastMoment);
        Assert.Null(await s.Store.VehicleAsync(earlier.Id));
        Assert.Null(await s.Store.VehicleAsync(lastMoment));
        await using var read = await s.Store.BeginAsync();
        Assert.Equal((town, true, "fraud"), (await read.TownStandingAsync(town)) is { } t ? (t.TownId, t.Suspended, t.Reason) : default);
    }

    private static async Task<Vehicle> AddAsync(ILogisticsStore store, string town)
    {
        var now = DateTimeOffset.UtcNow;
        var van = new Vehicle($"veh-{Guid.NewGuid():N}", town, Towns.Roanne, "van", 2000, null, true, 0.5, 20, null, null, now, now);
        await using var session = await store.BeginAsync();
        await session.AddVehicleAsync(van);
        await session.CommitAsync();
        return van;
    }

    /// <summary>The store as it is, except that the first write begun through it waits for <see cref="_before"/> to commit.</summary>
    public class RegisteringFirst : DispatchProxy
    {
        private ILogisticsStore _inner = null!;
        private Func<Task>? _before;

        public static ILogisticsStore Around(ILogisticsStore inner, Func<Task> before)
        {
            var proxy = Create<ILogisticsStore, RegisteringFirst>();
            var self = (RegisteringFirst)(object)proxy;
            (self._inner, self._before) = (inner, before);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name == nameof(ILogisticsStore.BeginAsync) && Interlocked.Exchange(ref _before, null) is { } before)
                return BeginAfterAsync(before, (CancellationToken)args![0]!);
            try
            {
                return method.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
            {
                ExceptionDispatchInfo.Throw(inner);
                throw;
            }
        }

        private async Task<ILogisticsSession> BeginAfterAsync(Func<Task> before, CancellationToken ct)
        {
            await before();
            return await _inner.BeginAsync(ct);
        }
    }
}
