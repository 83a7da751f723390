using System.Diagnostics.Metrics;
using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Storage.Backups;

/// <summary>What an operator alerts on: the age of the newest complete backup (growing past the schedule's period means
/// backups stopped) and every backup's outcome.</summary>
public static class BackupMetrics
{
    public const string Outcome = "tradenet.outcome";

    private static readonly Counter<long> Backups = TradeNetTelemetry.Meter.CreateCounter<long>("tradenet.backups", "{backup}",
        "Backups attempted, by outcome (tradenet.outcome: taken, failed, busy, refused, in_progress)");

    private sealed record Newest(TimeProvider Clock, DateTimeOffset At);

    // One process has one backup folder; the gauge reports its newest backup (nothing before the first one).
    private static Newest? _newest;

    static BackupMetrics()
    {
        TradeNetTelemetry.Meter.CreateObservableGauge("tradenet.backups.newest_age", () =>
            Volatile.Read(ref _newest) is { } newest ? [new Measurement<double>(Math.Max(0, (newest.Clock.GetUtcNow() - newest.At).TotalSeconds))] : Array.Empty<Measurement<double>>(),
            "s", "Age of the newest complete backup of this process (nothing until one exists)");
    }

    /// <summary>A backup was just taken.</summary>
    internal static void Taken(TimeProvider clock, DateTimeOffset at)
    {
        Counted("taken");
        Noted(clock, at);
    }

    /// <summary>A complete backup exists that was taken at <paramref name="at"/> (read from the disk at start).</summary>
    internal static void Noted(TimeProvider clock, DateTimeOffset at)
    {
        var next = new Newest(clock, at);
        while (Volatile.Read(ref _newest) is var known && (known is null || at > known.At))
            if (Interlocked.CompareExchange(ref _newest, next, known) == known) return;
    }

    internal static void Counted(string outcome) => Backups.Add(1, new KeyValuePair<string, object?>(Outcome, outcome));

    internal static void Failed(Exception ex) => Counted(ex switch
    {
        BackupInProgressException => "in_progress",
        BackupBusyException => "busy",
        BackupRefusedException => "refused",
        _ => "failed",
    });
}
