namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>When something was down on purpose (a service killed, the broker stopped), so <see cref="RandomTrading"/>
/// can tell an answer lost to it (a 502/503/504, a refused connection, no answer) from a defect. A window stays open
/// <see cref="Grace"/> past the end of the outage: a restarted process is healthy before every route to it is.</summary>
public sealed class OutageWindows
{
    private readonly List<(DateTime From, DateTime? To, string What)> _windows = [];
    private readonly Lock _lock = new();

    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Opens a window now; disposing it closes it.</summary>
    public IDisposable Open(string what)
    {
        int index;
        lock (_lock)
        {
            _windows.Add((DateTime.UtcNow, null, what));
            index = _windows.Count - 1;
        }
        return new Closing(() =>
        {
            lock (_lock) _windows[index] = _windows[index] with { To = DateTime.UtcNow };
        });
    }

    /// <summary>Whether a call that ran from <paramref name="from"/> to <paramref name="to"/> met an outage.</summary>
    public bool Covers(DateTime from, DateTime to)
    {
        lock (_lock)
            return _windows.Any(w => w.From <= to && (w.To is not { } end || end + Grace >= from));
    }

    /// <summary>Set once the last outage is over (<see cref="Chaos"/>'s schedule done).</summary>
    public bool Over { get; private set; }

    public void End() => Over = true;

    public IReadOnlyList<string> Describe()
    {
        lock (_lock)
            return _windows.Select(w => $"{w.What} {w.From:HH:mm:ss.f}–{w.To:HH:mm:ss.f}").ToList();
    }

    private sealed class Closing(Action close) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0) close();
        }
    }
}
