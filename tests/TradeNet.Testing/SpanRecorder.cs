using System.Collections.Concurrent;
using System.Diagnostics;

namespace TradeNet.Testing;

/// <summary>The spans the named activity sources stop while it lives, each sampled and recorded as an exporter would have
/// them: what an operator reads in the traces, for tests that follow a trade through them.</summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public SpanRecorder(params string[] sources)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => sources.Contains(s.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Every span stopped so far, in the order they stopped.</summary>
    public IReadOnlyCollection<Activity> Stopped => _stopped;

    /// <summary>The spans stopped so far with this operation name.</summary>
    public List<Activity> Named(string operation) => _stopped.Where(a => a.OperationName == operation).ToList();

    /// <summary>The first span to stop that matches, waited for: a consumer's span stops after the observers that tell a
    /// test its message was consumed.</summary>
    public async Task<Activity> FirstAsync(Func<Activity, bool> match, string what) =>
        (await Eventually.Until(() => Task.FromResult(_stopped.FirstOrDefault(match)), s => s is not null, what: what))!;

    public void Dispose() => _listener.Dispose();
}
