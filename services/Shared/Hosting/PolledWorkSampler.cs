using OpenTelemetry.Trace;

namespace TradeNet.Shared.Hosting;

/// <summary>The default sampler (a child follows its parent, a new trace is kept), except for the traces YARP's active
/// health checks start: every <c>Interval</c> (10 s) the gateway probes each cluster's <c>/health</c>, one trace per
/// cluster (<c>proxy.cluster_health_checks</c> → <c>proxy.destination_health_check</c> → the HTTP GET). Three clusters
/// made them most of the traces the dashboard held (72 of 120 after five minutes of a walk-through): the trades an
/// operator looks for were pushed off the first page and, in time, out of the dashboard. A dropped root takes its
/// children with it, since they follow their parent.</summary>
public sealed class PolledWorkSampler : Sampler
{
    /// <summary>The root span YARP starts for each cluster's health probe (Yarp.ReverseProxy's activity source).</summary>
    public const string ClusterHealthChecks = "proxy.cluster_health_checks";

    private static readonly Sampler Default = new ParentBasedSampler(new AlwaysOnSampler());
    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.ParentContext.TraceId == default && samplingParameters.Name == ClusterHealthChecks
            ? Dropped
            : Default.ShouldSample(samplingParameters);
}
