using TradeNet.Shared.Storage.Mongo;

namespace TradeNet.Shared.Tests;

public class OnceSetupTests
{
    [Fact]
    public async Task A_failed_setup_is_tried_again_by_the_next_caller_and_a_successful_one_never_again()
    {
        var attempts = 0;
        var setup = new OnceSetup(_ => ++attempts == 1 ? throw new TimeoutException("no database yet") : Task.CompletedTask);

        await Assert.ThrowsAsync<TimeoutException>(() => setup.EnsureAsync());
        await setup.EnsureAsync();
        await setup.EnsureAsync();

        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task Callers_at_the_same_time_share_one_attempt()
    {
        var attempts = 0;
        var release = new TaskCompletionSource();
        var setup = new OnceSetup(async _ => { Interlocked.Increment(ref attempts); await release.Task; });

        var callers = Enumerable.Range(0, 5).Select(_ => setup.EnsureAsync()).ToList();
        release.SetResult();
        await Task.WhenAll(callers);

        Assert.Equal(1, attempts);
    }
}
