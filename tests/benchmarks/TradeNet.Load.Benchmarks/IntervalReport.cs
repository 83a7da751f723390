using System.Diagnostics;
using System.Globalization;

namespace TradeNet.Load.Benchmarks;

/// <summary>A line every <c>--report-every</c> seconds while the run goes on: the calls that ended in the interval
/// (throughput, latency of writes and reads, unexpected answers), the clearing rounds that ended in it, and the host
/// process (RSS, threads, open files, cores used), with the load average. For long runs, where drift shows only as a
/// series, and the end-of-run tables would fold it into one figure.</summary>
public sealed class IntervalReport(Recorder recorder, Workload workload, HostProcess? host, TextWriter o, TimeSpan every)
{
    /// <summary>Towns' writes; the operator's rounds and planning runs (their own column) are neither writes nor reads.</summary>
    private static readonly HashSet<string> Writes = new(StringComparer.Ordinal)
    {
        "publish listing", "change listing", "withdraw listing", "accept trade", "reject trade", "pickup", "delivery", "register vehicle",
    };

    private static readonly HashSet<string> Solves = new(StringComparer.Ordinal) { "start round", "plan shipments" };

    public async Task RunAsync(Stopwatch clock, CancellationToken stop)
    {
        o.WriteLine();
        o.WriteLine(FormattableString.Invariant($"### Every {every.TotalSeconds:0} s (calls that ended in the interval; rounds that ended in it: listings → trades, request s)"));
        o.WriteLine("| at s | calls | per s | p50 ms | p95 ms | max ms | writes p50 / p95 | reads p50 / p95 | accept p95 | unexpected | rounds | RSS MB | threads | fds | host cores | load avg |");
        o.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        var last = clock.Elapsed;
        var cpuBefore = host?.Read()?.CpuSeconds;
        var roundsSeen = 0;
        try
        {
            for (var k = 1; !stop.IsCancellationRequested; k++)
            {
                var wait = every * k - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, stop);
                var now = clock.Elapsed;
                var rounds = workload.Rounds.ToArray();
                cpuBefore = Line(now, (now - last).TotalSeconds, rounds[roundsSeen..], cpuBefore);
                roundsSeen = rounds.Length;
                last = now;
            }
        }
        catch (OperationCanceledException) { }
    }

    private double? Line(TimeSpan now, double seconds, RoundRecord[] rounds, double? cpuBefore)
    {
        var calls = recorder.TakeWindow();
        double[] Ms(Func<Recorder.Call, bool> which) => [.. calls.Where(which).Select(c => c.Ms).Order()];
        var towns = Ms(c => !Solves.Contains(c.Op));
        var writes = Ms(c => Writes.Contains(c.Op));
        var reads = Ms(c => !Writes.Contains(c.Op) && !Solves.Contains(c.Op));
        var accepts = Ms(c => c.Op == "accept trade");
        var unexpected = calls.Count(c => !c.Expected);
        var ended = string.Join("; ", rounds.Select(r => r.Status is >= 200 and < 300
            ? FormattableString.Invariant($"{r.Listings} → {r.Trades}, {r.RequestMs / 1000:0.0}")
            : FormattableString.Invariant($"status {r.Status}")));
        var process = host?.Read();
        var fds = host?.OpenFiles();
        var cores = process is { } p && cpuBefore is { } c0 && seconds > 0 ? (p.CpuSeconds - c0) / seconds : (double?)null;
        static string Q(double[] ms, double q) => ms.Length == 0 ? "-" : Recorder.Quantile(ms, q).ToString("0", CultureInfo.InvariantCulture);
        o.WriteLine(FormattableString.Invariant(
            $"| {now.TotalSeconds:0} | {towns.Length} | {(seconds > 0 ? towns.Length / seconds : 0):0.0} | {Q(towns, 0.5)} | {Q(towns, 0.95)} | {(towns.Length == 0 ? "-" : towns[^1].ToString("0", CultureInfo.InvariantCulture))} | {Q(writes, 0.5)} / {Q(writes, 0.95)} | {Q(reads, 0.5)} / {Q(reads, 0.95)} | {Q(accepts, 0.95)} | {unexpected} | {(ended.Length == 0 ? "-" : ended)} | {(process is { } a ? (a.RssKb / 1024).ToString(CultureInfo.InvariantCulture) : "-")} | {(process is { } t ? t.Threads.ToString(CultureInfo.InvariantCulture) : "-")} | {(fds is { } f and >= 0 ? f.ToString(CultureInfo.InvariantCulture) : "-")} | {(cores is { } cc ? cc.ToString("0.00", CultureInfo.InvariantCulture) : "-")} | {LoadAverage()} |"));
        o.Flush();
        return process?.CpuSeconds ?? cpuBefore;
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
