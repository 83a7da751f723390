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
        --listings: the whole book, at least 40 more than --town-listings (at least 2). A value it cannot take stops it
        with one line on standard error and exit code 2.
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
        // The big town is generated alone with at least 2 listings, the rest of the book on (listings - town) × 3 / 40
        // towns; a book too small for either stopped with a stack trace from the generator (a town of 1 never ended).
        var (listings, town) = (Count(options, "listings", 20000), Count(options, "town-listings", 498));
        if (town < 2) throw new ArgumentException($"--town-listings '{town}' is below 2");
        if (listings - town < 40) throw new ArgumentException($"--listings {listings} leaves fewer than 40 listings beside the town's {town}");
        return options;
    }

    private static int Count(Dictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
