using System.Diagnostics;

namespace TradeNet.Matching.Benchmarks;

/// <summary>The store-read modes' timing: the median of 15 reads, so one read slowed by the machine does not set the figure.</summary>
internal static class ReadTimings
{
    public static double MedianMs(Func<Task> read)
    {
        var times = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            var watch = Stopwatch.StartNew();
            read().GetAwaiter().GetResult();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[7];
    }
}
