namespace TradeNet.Matching.Benchmarks;

/// <summary>The benchmark's command line. Every option it reads is named here, so that <c>--help</c> or a misspelt option
/// stops with the usage instead of being ignored while the whole benchmark (kidney and every book, many minutes) runs.</summary>
public static class BenchmarkArgs
{
    public const string Usage = """
        usage: TradeNet.Matching.Benchmarks [--only PART] [options]   (no --only: kidney, then books)
          --only kidney [--kidney DIR]                 PrefLib 00036 files (default ../shared/benchmarks/kidney beside the checkout)
          --only books [--books LIST] [--time-limit S] [--seed N] [--towns CSV] [--heavy-min-lots] [--donors N] [--pieces]
                       [--town-count T] [--trace]      LIST: any of 300,2000,2000k4,10000,40000 (default all), N or NkK
          --only retention [--trades N] [--kept K] [--recent R] [--dir D] [--seed S] [--batch B] [--seed-only]
          --only book-pages [--listings N] [--proposals P] [--history H]
          --only rounds-list [--rounds N] [--trades T]
          --only town-pairs [--trades N] [--every K]
          --write-book PATH [--listings N] [--town-count T] [--max-cycle K] [--seed N] [--pieces] [--donors N]
                                                       write one generated book and exit
          --help                                       this text
        """;

    public static readonly IReadOnlyList<string> Parts = ["kidney", "books", "retention", "book-pages", "rounds-list", "town-pairs"];

    private static readonly HashSet<string> Options = new(StringComparer.Ordinal)
    {
        "only", "kidney", "books", "time-limit", "towns", "seed", "heavy-min-lots", "donors", "pieces", "town-count", "trace",
        "trades", "kept", "recent", "dir", "batch", "seed-only", "listings", "proposals", "history", "rounds", "every",
        "write-book", "max-cycle",
    };

    public static bool WantsHelp(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary><c>--name value</c> pairs and bare <c>--flag</c>s (value ""); throws <see cref="ArgumentException"/> naming
    /// the first argument it does not know.</summary>
    public static Dictionary<string, string> Parse(IReadOnlyList<string> args)
    {
        var options = Parse(args, Options);
        if (options.TryGetValue("only", out var part) && !Parts.Contains(part))
            throw new ArgumentException($"unknown part --only '{part}': one of {string.Join(", ", Parts)}");
        return options;
    }

    /// <summary>The same reading for another benchmark's options (<paramref name="known"/>, without their dashes).</summary>
    public static Dictionary<string, string> Parse(IReadOnlyList<string> args, IReadOnlySet<string> known)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected {args[i]}: options start with --");
            var name = args[i][2..];
            if (!known.Contains(name)) throw new ArgumentException($"unknown option --{name}");
            options[name] = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "";
        }
        return options;
    }
}
