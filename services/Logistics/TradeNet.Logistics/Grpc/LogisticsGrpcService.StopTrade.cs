using TradeNet.Contracts;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using TradeNet.Contracts.Grpc;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;

namespace TradeNet.Logistics.Grpc;

public sealed partial class LogisticsGrpcService
{
    /// <summary>Longer than a REST reason: matching sends "cancelled by operator {name}: {reason}" (OperatorCancellation.Recorded).</summary>
    public const int MaxStopReasonLength = 1000;

    private const int StopAttempts = 5;

    /// <summary>The caller name matching's service token carries (MatchingExtensions registers its logistics client so).</summary>
    public const string StoppingService = "matching";

    /// <summary>Stops a trade's goods where they are decided (<see cref="Domain.TradeStops"/>): refused with the legs on
    /// the road and nothing written, or stopped with the legs already delivered. A write that keeps losing to a carrier's
    /// report or a planning run is Aborted, which callers treat as "try again".</summary>
    public override async Task<StopTradeReply> StopTrade(StopTradeRequest request, ServerCallContext context)
    {
        // It cancels shipments of a trade matching still holds agreed: only matching, which writes the cancellation after this
        // answer, may ask (the gateway and catalog hold service tokens too, and their stop would reach matching as a surprise).
        if (context.GetHttpContext().User.CallerName() != StoppingService)
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"Only {StoppingService} stops trades."));
        if (!Guid.TryParse(request.TradeId, out var tradeId)) throw Invalid("trade_id: must be a trade id (GUID)");
        var reason = request.Reason?.Trim();
        if (TextRules.RequiredLineError(reason, MaxStopReasonLength) is { } error) throw Invalid($"reason: {error}");
        using var activity = TradeNetTelemetry.Source.StartActivity("stop trade");
        activity?.SetTag(TradeNetTelemetry.TradeId, tradeId.ToString());
        var ct = context.CancellationToken;
        // A write that keeps losing to a carrier's report or a planning run ends as Aborted (GrpcErrorInterceptor).
        var outcome = await WriteRetry.OnConflictAsync(async () =>
        {
            await using var session = await store.BeginAsync(ct);
            var stop = await stops.StopAsync(session, tradeId, reason!, refuseWhileMoving: true, ct);
            // Refused: the session is disposed without a commit, so nothing of it is written. Stopped the first time: matching
            // hears of it through the outbox too, in case the caller never writes its cancellation (see TradeStopped).
            if (stop is { Stopped: true, First: true })
                session.Publish(new TradeStopped(tradeId, reason!, [.. stop.Delivered.Select(d => new ArrivedLeg(d.LegIndex, d.At))], clock.GetUtcNow()));
            if (stop.Stopped) await session.CommitAsync(ct);
            return stop;
        }, StopAttempts);
        activity?.SetTag(TradeNetTelemetry.State, outcome.Stopped ? "stopped" : "refused");
        if (outcome.Stopped) logger.LogInformation("Trade {TradeId} stopped: {Reason}", tradeId, reason);
        else logger.LogInformation("Trade {TradeId} not stopped: legs {Legs} are on the road", tradeId, string.Join(", ", outcome.LegsOnTheRoad));
        var reply = new StopTradeReply { Stopped = outcome.Stopped };
        reply.LegsOnTheRoad.AddRange(outcome.LegsOnTheRoad);
        reply.DeliveredLegs.AddRange(outcome.Delivered.Select(d => new DeliveredLeg { LegIndex = d.LegIndex, DeliveredAt = Timestamp.FromDateTimeOffset(d.At) }));
        return reply;
    }
}
