using System.Globalization;

namespace TradeNet.Matching.Benchmarks;

/// <summary>The store modes' whole-number options (<c>--trades 60000</c>), each with its default; <see cref="BenchmarkArgs.Parse(IReadOnlyList{string})"/>
/// has checked their values.</summary>
internal static class ModeOptions
{
    public static int Int(this IReadOnlyDictionary<string, string> opts, string name, int fallback) =>
        opts.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
