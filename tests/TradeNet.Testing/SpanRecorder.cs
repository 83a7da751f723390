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

    public void Dispose() => _listener.Dispose();
}
