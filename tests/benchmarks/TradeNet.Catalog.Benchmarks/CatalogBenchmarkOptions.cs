using System.Globalization;

namespace TradeNet.Catalog.Benchmarks;

/// <summary>The benchmark's command line, refused in one line as the other benchmarks refuse theirs: a count that is not
/// one threw a stack trace, and a misspelt <c>--before</c> was ignored, timing the indexed schema in its place.</summary>
public sealed record CatalogBenchmarkOptions(int Listings, bool Before)
{
    public const string Usage = """
        usage: TradeNet.Catalog.Benchmarks [LISTINGS] [--before]
          LISTINGS  how many listings the temp catalog holds (default 200000)
          --before  the schema and query before the list's indexes (docs/benchmarks.md)
        """;

    /// <summary>Null for <c>--help</c>; throws <see cref="ArgumentException"/> naming the argument it cannot take.</summary>
    public static CatalogBenchmarkOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new CatalogBenchmarkOptions(200_000, false);
        var counted = false;
        foreach (var arg in args)
        {
            if (arg is "--help" or "-h" or "-?") return null;
            if (arg == "--before")
                options = options with { Before = true };
            else if (arg.StartsWith('-') && !IsCount(arg))
                throw new ArgumentException($"unknown option {arg}");
            else if (counted)
                throw new ArgumentException($"one listing count only, not '{arg}' as well");
            else if (int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
                (options, counted) = (options with { Listings = n }, true);
            else
                throw new ArgumentException($"'{arg}' is not a listing count above 0");
        }
        return options;
    }

    // "-5" is a count refused as one, not an unknown option.
    private static bool IsCount(string arg) => arg.Length > 1 && arg[1..].All(char.IsAsciiDigit);
}
