using MassTransit;
using MassTransit.Testing;

namespace TradeNet.Testing;

public static class HarnessConsumes
{
    /// <summary>Publishes an event under a fresh message id (<paramref name="publish"/> is given it) and waits until a
    /// consume of it succeeded, after whatever retries it took.</summary>
    public static async Task ConsumedAsync(this ITestHarness harness, Func<Guid, Task> publish, TimeSpan? within = null)
    {
        var id = NewId.NextGuid();
        await publish(id);
        await Eventually.True(() => Task.FromResult(harness.ConsumedWithoutFaultSoFar(id)),
            within ?? TimeSpan.FromSeconds(20), $"{id} consumed");
    }
}
