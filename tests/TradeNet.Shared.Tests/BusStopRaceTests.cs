using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

public class BusStopRaceTests
{
    private int _released;

    private void Release() => _released++;

    [Fact]
    public async Task The_receive_endpoints_stop_race_is_let_go_and_the_hosts_files_are_released()
    {
#pragma warning disable CS0436 // the stand-in for MassTransit's ReceiveEndpoint (ReceiveEndpointStandIn.cs)
        await BusStopRace.Tolerating(new ValueTask(MassTransit.Transports.ReceiveEndpoint.StopAsync()), Release);
#pragma warning restore CS0436

        Assert.Equal(1, _released);
    }

    [Fact]
    public async Task A_null_reference_anywhere_else_still_fails_the_disposal()
    {
        await Assert.ThrowsAsync<NullReferenceException>(async () =>
            await BusStopRace.Tolerating(new ValueTask(DereferenceNullAsync()), Release));

        Assert.Equal(0, _released);
    }

    [Fact]
    public async Task Any_other_failure_of_the_stop_still_fails_the_disposal()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await BusStopRace.Tolerating(ValueTask.FromException(new InvalidOperationException("consumer still running")), Release));

        Assert.Equal(0, _released);
    }

    [Fact]
    public async Task A_clean_stop_leaves_releasing_the_files_to_the_factory()
    {
        await BusStopRace.Tolerating(ValueTask.CompletedTask, Release);

        Assert.Equal(0, _released);
    }

    private static async Task DereferenceNullAsync()
    {
        await Task.Yield();
        string? handle = null;
        _ = handle!.Length;
    }
}
