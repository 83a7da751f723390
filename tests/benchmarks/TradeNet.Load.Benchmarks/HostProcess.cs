using System.Globalization;

namespace TradeNet.Load.Benchmarks;

/// <summary>The services' process as Linux sees it (<c>/proc/PID</c>): resident memory, threads and CPU time, sampled
/// once a second, so the report gives the host's memory through the run and how many cores it used.</summary>
public sealed class HostProcess(int pid)
{
    private readonly List<(double Seconds, long RssKb, int Threads, double CpuSeconds)> _samples = [];

    public int Pid => pid;

    /// <summary>How many files, sockets and pipes the process holds open (<c>/proc/PID/fd</c>); -1 when unreadable.</summary>
    public int OpenFiles()
    {
        try { return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return -1; }
    }

    public async Task SampleAsync(System.Diagnostics.Stopwatch clock, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (Read() is { } s) lock (_samples) _samples.Add((clock.Elapsed.TotalSeconds, s.RssKb, s.Threads, s.CpuSeconds));
                await Task.Delay(1000, stop);
            }
        }
        catch (OperationCanceledException) { }
    }

    public (long RssKb, long PeakKb, int Threads, double CpuSeconds)? Read()
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            long Kb(string field) => long.Parse(status.First(l => l.StartsWith(field, StringComparison.Ordinal))
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            var threads = (int)Kb("Threads:");
            // stat: fields after the command's closing parenthesis; utime and stime are the 14th and 15th, in clock ticks (100/s).
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpu = (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0;
            return (Kb("VmRSS:"), Kb("VmHWM:"), threads, cpu);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public void Print(TextWriter o, (long RssKb, long PeakKb, int Threads, double CpuSeconds)? before)
    {
        List<(double Seconds, long RssKb, int Threads, double CpuSeconds)> samples;
        lock (_samples) samples = [.. _samples];
        var after = Read();
        if (before is null || after is null || samples.Count == 0)
        {
            o.WriteLine($"Host process {pid}: not readable from /proc.");
            return;
        }
        var seconds = samples[^1].Seconds - samples[0].Seconds;
        var cpu = samples[^1].CpuSeconds - samples[0].CpuSeconds;
        o.WriteLine(FormattableString.Invariant(
            $"Host process {pid}: RSS {before.Value.RssKb / 1024} MB before the run, {samples.Max(s => s.RssKb) / 1024} MB at most during it, {after.Value.RssKb / 1024} MB after; peak RSS since start {after.Value.PeakKb / 1024} MB; threads {samples.Min(s => s.Threads)}–{samples.Max(s => s.Threads)}; CPU {cpu:0.0} s in {seconds:0} s ({(seconds > 0 ? cpu / seconds : 0):0.00} cores)."));
        // A line every tenth of the run, to see a growth.
        var step = Math.Max(1, samples.Count / 10);
        o.WriteLine("  RSS MB over the run: " + string.Join(", ", samples.Where((_, i) => i % step == 0 || i == samples.Count - 1)
            .Select(s => FormattableString.Invariant($"{s.Seconds:0}s {s.RssKb / 1024}"))));
    }
}
