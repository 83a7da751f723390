using System.Diagnostics;

namespace TradeNet.Gateway;

/// <summary>The edge's trace context: a request from outside starts a trace of the edge's own, whatever <c>traceparent</c>,
/// <c>tracestate</c> or <c>baggage</c> its client sent; what the edge forwards carries the edge's context as usual. A client's
/// <c>traceparent</c> ending in <c>-00</c> (not sampled) made every process drop the spans of that request and of all it
/// caused, the sampler following its parent: a town could keep its answers to trades out of the operators' traces. And a
/// client's baggage travelled into every service.</summary>
internal sealed class EdgeTracePropagator : DistributedContextPropagator
{
    private static readonly DistributedContextPropagator Outgoing = CreateDefaultPropagator();

    public override IReadOnlyCollection<string> Fields => Outgoing.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) =>
        Outgoing.Inject(activity, carrier, setter);

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
    {
        traceId = null;
        traceState = null;
    }

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) => null;
}
