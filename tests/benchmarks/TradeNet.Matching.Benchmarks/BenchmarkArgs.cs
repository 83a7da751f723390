using System.Globalization;
using TradeNet.CommandLine;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Benchmarks;

/// <summary>The benchmark's command line. Every option it reads is named here, so that <c>--help</c> or a misspelt option
/// stops with the usage instead of being ignored while the whole benchmark (kidney and every book, many minutes) runs.</summary>
public static class BenchmarkArgs
{
    public const string Usage = """
        usage: TradeNet.Matching.Benchmarks [--only PART] [options]   (no --only: kidney, then books)
          --only kidney [--kidney DIR]                 PrefLib 00036 files (default ../shared/benchmarks/kidney beside the checkout)
          --only books [--books LIST] [--time-limit S] [--seed N] [--towns CSV] [--heavy-min-lots] [--donors N | --pieces]
                       [--town-count T] [--trace]      LIST: any of 300,2000,2000k4,10000,40000 (default all), N or NkK
          --only retention [--trades N] [--kept K] [--recent R] [--dir D] [--seed S] [--batch B] [--seed-only]
          --only book-pages [--listings N] [--proposals P] [--history H] [--seed S]
          --only rounds-list [--rounds N] [--trades T]
          --only town-pairs [--trades N] [--every K] [--seed S]
          --write-book PATH [--listings N] [--town-count T] [--max-cycle K] [--seed N] [--pieces] [--donors N]
                                                       write one generated book and exit
          --help                                       this text
        --town-count T: the books' towns instead of each book's own. A value the benchmark cannot take, or instance
        files that are not there, stop it with one line on standard error and exit code 2.
        """;

    public static readonly IReadOnlyList<string> Parts = ["kidney", "books", "retention", "book-pages", "rounds-list", "town-pairs"];

    /// <summary>Options that take no value: a word after one is refused, not read as its value.</summary>
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "heavy-min-lots", "pieces", "trace", "seed-only" };

    /// <summary>Options that take a path or a folder (any text but none).</summary>
    private static readonly HashSet<string> Paths = new(StringComparer.Ordinal) { "kidney", "towns", "dir", "write-book" };

    /// <summary>Options that take a whole number, with the least and most it may be.</summary>
    private static readonly Dictionary<string, (int Min, int Max)> Counts = new(StringComparer.Ordinal)
    {
        ["seed"] = (int.MinValue, int.MaxValue), ["donors"] = (0, int.MaxValue), ["town-count"] = (1, int.MaxValue),
        ["listings"] = (2, int.MaxValue), ["max-cycle"] = (BookValidator.MinCycleLength, BookValidator.MaxSupportedCycleLength),
        ["trades"] = (1, int.MaxValue), ["kept"] = (0, int.MaxValue), ["recent"] = (0, int.MaxValue), ["batch"] = (1, int.MaxValue),
        ["proposals"] = (0, int.MaxValue), ["history"] = (0, int.MaxValue), ["rounds"] = (1, int.MaxValue), ["every"] = (1, int.MaxValue),
    };

    private static readonly HashSet<string> Options =
        new(["only", "books", "time-limit", .. Flags, .. Paths, .. Counts.Keys], StringComparer.Ordinal);

    public static bool WantsHelp(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary><c>--name value</c> pairs and bare <c>--flag</c>s (value ""); throws <see cref="ArgumentException"/> naming
    /// the first argument it does not know or the first value it cannot take, before anything runs (a value parsed later
    /// would stop a run of many minutes with a stack trace, or, for a path, after the parts before it).</summary>
    public static Dictionary<string, string> Parse(IReadOnlyList<string> args)
    {
        var options = Parse(args, Options, Flags);
        foreach (var (name, value) in options)
        {
            if (Counts.TryGetValue(name, out var range)
                && !(int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= range.Min && n <= range.Max))
                throw new ArgumentException(range.Max == int.MaxValue
                    ? $"--{name} '{value}' is not a whole number{(range.Min == int.MinValue ? "" : $" of at least {range.Min}")}"
                    : $"--{name} '{value}' is not a whole number from {range.Min} to {range.Max}");
            if (Paths.Contains(name) && value.Length == 0) throw new ArgumentException($"--{name} needs a path");
        }
        // Written after the book is generated (minutes for a big one): a path that cannot take it was a stack trace then.
        if (options.TryGetValue("write-book", out var book) && book.Length > 0 && WritablePaths.Problem(book) is { } problem)
            throw new ArgumentException($"--write-book {problem}");
        if (options.TryGetValue("only", out var part) && !Parts.Contains(part))
            throw new ArgumentException($"unknown part --only '{part}': one of {string.Join(", ", Parts)}");
        // The pieces part compares the engine's whole pieces with the matching service's lowering, and the service has no
        // donors or chains: --donors there was ignored while the table read as if it held them. A written book takes both.
        if (options.ContainsKey("pieces") && options.ContainsKey("donors") && !options.ContainsKey("write-book") && part is null or "books")
            throw new ArgumentException("--donors cannot go with --pieces in the books part, which solves without chains (--write-book takes both)");
        var limit = options.TryGetValue("time-limit", out var text) ? Seconds("--time-limit", text) : (double?)null;
        // The books are named up front too: an unknown one used to stop the run with a stack trace after the kidney part.
        // Only when the books part runs: --write-book writes a book of its own, whose --town-count no named book must fill.
        if (!options.ContainsKey("write-book") && part is null or "books")
            BookSpecs.Select(options.GetValueOrDefault("books"), limit, TownCount(options), customOnly: options.ContainsKey("pieces"));
        return options;
    }

    /// <summary>A number of seconds the engine takes: above 0, finite, at most <see cref="BookValidator.MaxTimeLimitSeconds"/>.</summary>
    public static double Seconds(string what, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is > 0 and <= BookValidator.MaxTimeLimitSeconds
            ? s
            : throw new ArgumentException($"{what} '{value}' is not a number of seconds above 0 and at most {BookValidator.MaxTimeLimitSeconds:0}");

    public static int? TownCount(IReadOnlyDictionary<string, string> options) =>
        options.TryGetValue("town-count", out var t) ? int.Parse(t, CultureInfo.InvariantCulture) : null;

    /// <summary>The same reading for another benchmark's options (<paramref name="known"/>, without their dashes;
    /// <paramref name="flags"/> among them take no value).</summary>
    public static Dictionary<string, string> Parse(IReadOnlyList<string> args, IReadOnlySet<string> known, IReadOnlySet<string>? flags = null)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected {args[i]}: options start with --");
            var name = args[i][2..];
            if (!known.Contains(name)) throw new ArgumentException($"unknown option --{name}");
            var isFlag = flags?.Contains(name) == true;
            options[name] = !isFlag && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "";
        }
        return options;
    }
}
