using System.Globalization;
using TradeNet.CommandLine;

namespace TradeNet.Load.Benchmarks;

/// <summary>What the command line asked for, every value already checked.</summary>
public sealed record LoadOptions(Uri Gateway, string OperatorKey, int Towns, int ListingsPerTown, int Concurrency, int Seconds,
    int Seed, double RoundSeconds, double PlanSeconds, double VehicleShare, double TownRate, double ReportEvery, double RadiusKm,
    int? Pid, string? KeysFile);

/// <summary>The load benchmark's command line and exit codes (docs/benchmarks.md, "Running system"). A command line it
/// cannot take exits 2 with one line, as the other benchmarks and tools refuse theirs; a run with unexpected answers,
/// which used to exit 2, exits 3, so that a script can tell a mistyped option from a system that answered wrongly.</summary>
public static class LoadArgs
{
    public const int Ok = 0, SetupFailed = 1, BadCommandLine = 2, UnexpectedAnswers = 3;

    public const string Usage = """
        usage: TradeNet.Load.Benchmarks --gateway URL --operator-key KEY [--towns N] [--listings-per-town M] [--concurrency C]
               [--seconds S] [--pid PID] [--round-every S] [--plan-every S] [--vehicles SHARE] [--radius-km KM] [--seed N]
               [--town-rate PER_S] [--report-every SECONDS] [--keys-file PATH]
        exit codes: 0 no unexpected answer, 1 the gateway listed no categories or registered no town, 2 a command line it
        cannot take (one line naming the argument), 3 the run met unexpected answers
        """;

    private static readonly string[] Known = ["gateway", "operator-key", "towns", "listings-per-town", "concurrency", "seconds", "pid",
        "round-every", "plan-every", "vehicles", "radius-km", "seed", "town-rate", "report-every", "keys-file"];

    public static bool WantsHelp(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary>Every option and number, read before the run: throws <see cref="ArgumentException"/> naming the first
    /// argument it cannot take (a value read later stopped the run with a stack trace, some after the towns registered).</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var opts = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{args[i]}': options start with --");
            var name = args[i][2..];
            if (!Known.Contains(name)) throw new ArgumentException($"unknown option --{name}");
            if (i + 1 >= args.Count) throw new ArgumentException($"--{name} needs a value");
            opts[name] = args[++i];
        }
        if (!opts.TryGetValue("gateway", out var gatewayText)) throw new ArgumentException("--gateway URL is required");
        if (!Uri.TryCreate(gatewayText, UriKind.Absolute, out var gateway) || gateway.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--gateway '{gatewayText}' is not an http(s) URL");
        if (!opts.TryGetValue("operator-key", out var operatorKey)) throw new ArgumentException("--operator-key is required");
        // Written after the towns registered: a path that cannot take it was a stack trace then.
        if (opts.TryGetValue("keys-file", out var keys) && WritablePaths.Problem(keys) is { } problem) throw new ArgumentException($"--keys-file {problem}");

        // Requests per second per town: the gateway allows 600 a minute per town, so 9 keeps each town within its limit.
        // --report-every: a line every so many seconds while the run goes on (throughput, latencies, errors, host).
        return new LoadOptions(gateway, operatorKey, Int("towns", 20, 1), Int("listings-per-town", 20, 1), Int("concurrency", 8, 1),
            Int("seconds", 60, 1), Int("seed", 1, int.MinValue), Num("round-every", 10, 0), Num("plan-every", 20, 0),
            Num("vehicles", 0.2, 0, 1), Num("town-rate", 9, 0.001), Num("report-every", 0, 0), Num("radius-km", 100, 1),
            opts.ContainsKey("pid") ? Int("pid", 0, 1) : null, opts.GetValueOrDefault("keys-file"));

        int Int(string name, int fallback, int min) =>
            !opts.TryGetValue(name, out var v) ? fallback
            : int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min ? n
            : throw new ArgumentException($"--{name} '{v}' is not a whole number{(min == int.MinValue ? "" : $" of at least {min}")}");

        double Num(string name, double fallback, double min, double max = 1e9) =>
            !opts.TryGetValue(name, out var v) ? fallback
            : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x >= min && x <= max ? x
            : throw new ArgumentException($"--{name} '{v}' is not a number from {min} to {max}");
    }
}
