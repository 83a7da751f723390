using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Shared.Tests;

public sealed class WriteTurnTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private readonly ManualClock _clock = new();
    private readonly WriteTurn _turn;
    private readonly List<string> _order = [];

    public WriteTurnTests() => _turn = new WriteTurn(_clock);

    // Under load the listing events' consumers kept matching's turn ~70% busy and accepts queued behind them.
    [Fact]
    public async Task A_requests_write_goes_ahead_of_message_writes_that_asked_before_it()
    {
        Assert.True(await _turn.WaitAsync(background: false, Long, default));
        Task[] writers = [Write("message 1", background: true), Write("message 2", background: true), Write("request", background: false)];

        _turn.Release();
        await Task.WhenAll(writers).WaitAsync(Long);

        Assert.Equal(["request", "message 1", "message 2"], _order);
    }

    [Fact]
    public async Task A_message_write_that_waited_the_longest_deferral_goes_before_later_requests()
    {
        Assert.True(await _turn.WaitAsync(background: false, Long, default));
        var message = Write("message", background: true);
        _clock.Advance(WriteTurn.MaxDeferral);
        var request = Write("request", background: false);

        _turn.Release();
        await Task.WhenAll(message, request).WaitAsync(Long);

        Assert.Equal(["message", "request"], _order);
    }

    [Fact]
    public async Task Writes_of_one_kind_get_the_turn_in_the_order_they_asked()
    {
        Assert.True(await _turn.WaitAsync(background: false, Long, default));
        Task[] writers = [.. Enumerable.Range(0, 4).Select(i => Write($"message {i}", background: true))];

        _turn.Release();
        await Task.WhenAll(writers).WaitAsync(Long);

        Assert.Equal(["message 0", "message 1", "message 2", "message 3"], _order);
    }

    [Fact]
    public async Task A_writer_that_gave_up_waiting_does_not_take_a_later_turn()
    {
        Assert.True(await _turn.WaitAsync(background: false, Long, default));
        var gaveUp = _turn.WaitAsync(background: false, TimeSpan.FromMilliseconds(50), default);
        Assert.False(await gaveUp.WaitAsync(Long));
        var next = Write("next", background: true);

        _turn.Release();
        await next.WaitAsync(Long);

        Assert.Equal(["next"], _order);
        Assert.True(await _turn.WaitAsync(background: false, TimeSpan.FromSeconds(1), default), "the turn was free again");
    }

    private async Task Write(string name, bool background)
    {
        Assert.True(await _turn.WaitAsync(background, Long, default));
        lock (_order) _order.Add(name);
        _turn.Release();
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Interlocked.Read(ref _ticks);
        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
