using System.Diagnostics;
using System.Globalization;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Infrastructure;

/// <summary>The on-demand hunts' seeds: which ones an environment variable asks for, and running each on a standalone
/// host of its own (fresh files), every seed to the end with the failures reported together, so one failing seed does
/// not hide what the others would find.</summary>
internal static class HeavySeeds
{
    /// <summary>The seeds <paramref name="variable"/> lists ("1-5" or "3,7,11"); <paramref name="unset"/> when it is
    /// unset or empty.</summary>
    public static IReadOnlyList<int> From(string variable, string unset = "1") => SeedList.From(variable, unset);

    /// <summary>Runs <paramref name="run"/> once per seed; what it returns is that seed's summary line. A failure
    /// carries the host's logs, unless the run attaches them itself (<paramref name="runAttachesLogs"/>).</summary>
    public static async Task RunEachAsync(IEnumerable<int> seeds, IReadOnlyDictionary<string, string> settings,
        Func<StandaloneTradeNet, int, Task<string?>> run, Action<string> report, bool runAttachesLogs = false)
    {
        var failures = new List<string>();
        foreach (var seed in seeds)
        {
            var tradeNet = new StandaloneTradeNet { Settings = settings };
            await tradeNet.InitializeAsync();
            var started = Stopwatch.GetTimestamp();
            try
            {
                var summary = await run(tradeNet, seed);
                report($"seed {seed} ({Seconds(started)} s){(summary is null ? "" : ": " + summary)}");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var failure = runAttachesLogs ? ex.Message : tradeNet.WithLogs(ex).Message;
                report($"seed {seed} FAILED after {Seconds(started)} s: {failure}");
                failures.Add($"seed {seed}: {failure[..Math.Min(failure.Length, 6000)]}");
            }
            finally
            {
                await tradeNet.DisposeAsync();
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private static string Seconds(long started) =>
        Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("F0", CultureInfo.InvariantCulture);
}
