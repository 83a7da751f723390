using System.Globalization;
using TradeNet.Matching.Benchmarks;

namespace TradeNet.Matching.Counterparts.Benchmarks;

/// <summary>The counterparts benchmark's options: --help or a misspelt one stops with the usage rather than running
/// every shape on the default 20,000-listing book with it ignored.</summary>
public static class CounterpartsArgs
{
    public const string Usage = """
        usage: TradeNet.Matching.Counterparts.Benchmarks [--runs N (9)] [--listings N (20000)] [--town-listings N (498)]
                                                         [--seed N (1)] [--data DIR (/tmp/counterparts-bench)]
        """;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "runs", "listings", "town-listings", "seed", "data" };

    public static Dictionary<string, string> Parse(IReadOnlyList<string> args)
    {
        var options = BenchmarkArgs.Parse(args, Known);
        foreach (var (name, value) in options)
        {
            if (name == "data" && value.Length == 0) throw new ArgumentException("--data needs a folder");
            if (name != "data" && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1))
                throw new ArgumentException($"--{name} '{value}' is not a whole number above 0");
        }
        return options;
    }
}
